/// A stream that can say why its peer went away (an exit status, the tail of its stderr), so that an
/// `AgentError` about a dead agent carries what the agent said last.
///
/// Separate from `AgentStream`, whose signatures other transports implement; `AgentClient` asks for it with
/// a cast.
public protocol AgentStreamDiagnostics: AnyObject {
    /// A short, single-paragraph account of the peer's state, or nil when there is nothing to say.
    var diagnostics: String? { get }
}
