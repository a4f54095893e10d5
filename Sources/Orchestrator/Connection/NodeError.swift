public import PlanModel

/// A failure to talk to a node (not a command that failed on it: that is a result).
public struct NodeError: DiagnosticConvertible, Sendable {
    public enum Kind: Sendable {
        /// Connecting, the handshake, the host key or authentication failed.
        case connection(ConnectionError)
        /// The agent died, timed out, desynchronised or refused a request.
        case agent(AgentError)
        /// A local program (the agent behind `nsenter`) could not be started.
        case system(SystemError)
    }

    public var node: NodeName
    public var address: String
    public var kind: Kind

    public init(node: NodeName, address: String, kind: Kind) {
        self.node = node
        self.address = address
        self.kind = kind
    }

    /// True for failures to reach or authenticate to the node (exit code 3).
    public var isConnectionFailure: Bool { category == .connection }

    /// The inner error's diagnostic, said of this node.
    public var diagnostics: [Diagnostic] {
        var diagnostic: Diagnostic
        switch kind {
        case .connection(let error): return error.diagnostics
        case .agent(let error): diagnostic = error.diagnostics[0]
        case .system(let error):
            diagnostic = error.diagnostics[0]
            diagnostic.category = .connection
            diagnostic.hint = diagnostic.hint ?? "check that the lab is up (testbed lab status)"
        }
        diagnostic.subject = "node '\(node)' (\(address))"
        return [diagnostic]
    }
}
