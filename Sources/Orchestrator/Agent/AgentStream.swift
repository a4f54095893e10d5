public import PlanModel

/// A duplex byte stream to a node agent: an SSH channel, or the pipes of a local process.
///
/// Calls block the calling thread until they make progress or the deadline passes. Implementations are
/// confined to one thread at a time (the owning node connection's), so they need not be thread-safe.
public protocol AgentStream: AnyObject {
    /// Writes all of `bytes`.
    /// - Throws: `AgentStreamError` when the peer is gone or the deadline passes.
    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(AgentStreamError)

    /// Reads at least one byte, at most `maximum`. Returns an empty array at end of stream.
    /// - Throws: `AgentStreamError` when the peer is gone or the deadline passes.
    func read(maximum: Int, until deadline: ContinuousClock.Instant) throws(AgentStreamError) -> [UInt8]

    /// Closes the stream; the agent sees end of file and exits. Safe to call twice.
    func close()
}

/// Why a stream to an agent failed. The owner wraps it with node and host names for the user.
public struct AgentStreamError: DiagnosticConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case timedOut = "timed out"
        case closed = "connection closed"
        case failed = "I/O failed"
        case cancelled = "cancelled"
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var diagnostics: [Diagnostic] {
        [
            Diagnostic(
                code: "stream.\(kind.rawValue.replacingOccurrences(of: " ", with: "-"))", category: .failure,
                message: "\(kind.rawValue): \(detail)")
        ]
    }
}
