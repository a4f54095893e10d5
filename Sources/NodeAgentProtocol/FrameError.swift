public import PlanModel

/// Why a frame could not be encoded or decoded: what went wrong, what was seen, and what to do.
///
/// Encoding errors (`invalidRequest`) mean nothing was sent; decoding errors mean the byte stream from the
/// agent can no longer be trusted and the connection has to be reopened.
public struct FrameError: DiagnosticConvertible, Sendable, Hashable {
    /// The kind of failure; a struct so that kinds can be added without breaking `switch`es.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case invalidRequest = "invalid request"
            case desynchronised = "desynchronised"
            case versionMismatch = "version mismatch"
            case truncated = "truncated"
        }

        private let value: Value

        /// The request cannot be sent safely (NUL in a script, a bad namespace name or address, …).
        public static let invalidRequest = Code(value: .invalidRequest)
        /// The bytes received are not a frame of this protocol.
        public static let desynchronised = Code(value: .desynchronised)
        /// The peer speaks another protocol version.
        public static let versionMismatch = Code(value: .versionMismatch)
        /// The stream ended inside a frame.
        public static let truncated = Code(value: .truncated)

        public var description: String { value.rawValue }
    }

    public var code: Code
    /// What went wrong, naming the request or frame concerned.
    public var message: String
    /// An escaped excerpt of the bytes that were seen, when the error is about received bytes.
    public var excerpt: String?
    /// What to do about it.
    public var hint: String

    public init(_ code: Code, _ message: String, excerpt: String? = nil, hint: String) {
        self.code = code
        self.message = message
        self.excerpt = excerpt
        self.hint = hint
    }

    public var diagnostics: [Diagnostic] {
        [
            Diagnostic(
                code: "frame.\(code.description.replacingOccurrences(of: " ", with: "-"))", category: .failure,
                message: message, cause: excerpt.map { "saw \"\($0)\"" }, hint: hint)
        ]
    }

    static func invalid(_ message: String, hint: String) -> FrameError {
        FrameError(.invalidRequest, message, hint: hint)
    }

    static func desync(_ message: String, _ seen: some Collection<UInt8>) -> FrameError {
        FrameError(
            .desynchronised, message, excerpt: ByteExcerpt.escape(seen),
            hint: "the agent's output is out of step with the protocol (a shell rc file printing, a crashed agent, "
                + "or a bug); the connection cannot recover and has to be reopened")
    }
}
