import NodeAgentProtocol
public import PlanModel

/// Why a conversation with a node agent failed: what happened, to which request, and what to do.
///
/// Only `rejected` and `invalidRequest` leave the connection usable; every other code means the byte stream
/// can no longer be trusted, and later calls on the same `AgentClient` fail fast with `unusable`.
public struct AgentError: DiagnosticConvertible, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// The agent's output ended: the process or channel died.
        case agentExited = "agent exited"
        /// No (complete) response before the deadline.
        case timedOut = "timed out"
        /// The agent's output is not a frame of this protocol, or answers the wrong request.
        case desynchronised = "desynchronised"
        /// The agent speaks another protocol version.
        case versionMismatch = "version mismatch"
        /// The agent answered with a `failure`: nothing of the request ran.
        case rejected = "rejected"
        /// The request cannot be encoded; nothing was sent.
        case invalidRequest = "invalid request"
        /// An earlier error made this connection unusable.
        case unusable = "unusable"
        /// Reading or writing the stream failed.
        case streamFailed = "stream failed"
        /// The calling task was cancelled mid-exchange.
        case cancelled = "cancelled"
    }

    public var code: Code
    /// What happened, naming the request (kind and id) concerned.
    public var message: String
    /// What to do about it.
    public var hint: String
    /// The underlying error or what the stream said, when there is one.
    public var cause: String?

    public init(_ code: Code, _ message: String, hint: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    /// Whether the connection stays usable after this error.
    public var leavesConnectionUsable: Bool { code == .rejected || code == .invalidRequest }

    /// True when the node is as good as unreachable: its agent died or speaks another protocol.
    public var isConnectionFailure: Bool { code == .agentExited || code == .versionMismatch }

    public var diagnostics: [Diagnostic] {
        [
            Diagnostic(
                code: "agent.\(code.rawValue.replacingOccurrences(of: " ", with: "-"))",
                category: isConnectionFailure ? .connection : .failure, message: "\(code.rawValue): \(message)",
                cause: cause, hint: hint)
        ]
    }
}

extension AgentError {
    static let reconnectHint = "the connection cannot be trusted any more; close it and start a new agent"

    /// The error for a `FrameError` from the decoder.
    static func frame(_ error: FrameError, while request: String) -> AgentError {
        let excerpt = error.excerpt.map { " (saw \"\($0)\")" } ?? ""
        switch error.code {
        case .versionMismatch:
            return AgentError(.versionMismatch, error.message + excerpt, hint: error.hint)
        case .truncated:
            return AgentError(
                .agentExited, "the agent's output ended while waiting for \(request): \(error.message)\(excerpt)",
                hint: error.hint)
        default:
            return AgentError(
                .desynchronised, "while waiting for \(request): \(error.message)\(excerpt)", hint: reconnectHint)
        }
    }

    /// The error for a failed stream call.
    static func stream(
        _ error: AgentStreamError, while request: String, budget: Duration, diagnostics: String?
    ) -> AgentError {
        let cause = [error.description, diagnostics].compactMap { $0 }.joined(separator: "; ")
        switch error.kind {
        case .timedOut:
            return AgentError(
                .timedOut, "no complete answer to \(request) within \(Self.format(budget))",
                hint: "a late answer would be taken for the next one, so the connection is closed; give blocks a "
                    + "run timeout shorter than the call's deadline so the agent reports the overrun itself",
                cause: cause)
        case .closed:
            return AgentError(
                .agentExited, "the agent's stream closed while waiting for \(request)",
                hint: "the agent process or its channel died; check the node, then reconnect", cause: cause)
        case .cancelled:
            return AgentError(.cancelled, "cancelled while waiting for \(request)", hint: reconnectHint, cause: cause)
        case .failed:
            return AgentError(
                .streamFailed, "the stream failed while waiting for \(request)", hint: reconnectHint, cause: cause)
        }
    }

    /// A duration as seconds with three decimals, e.g. `2.500 s`.
    static func format(_ duration: Duration) -> String {
        let milliseconds = max(0, Int64(duration.milliseconds.rounded(.down)))
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction + " s"
    }
}
