public import PlanModel

/// Why a lab operation was refused or failed, and what the user can do about it.
public struct LabError: DiagnosticConvertible, Sendable {
    public enum Code: String, Sendable {
        case notRoot = "not-root"
        case missingProgram = "missing-program"
        case alreadyUp = "already-up"
        case topologyChanged = "topology-changed"
        case remoteTopology = "remote-topology"
        case notUp = "not-up"
        case nodesGone = "nodes-gone"
        case setupFailed = "setup-failed"
        case io
        case busy
    }

    public var code: Code
    public var message: String
    public var hint: String
    public var cause: String?
    /// Problems at places of the topology found only at `lab up` (a member the cluster lacks): each becomes a
    /// diagnostic of its own, located, after the message.
    public var located: [(location: InputLocation, message: String)] = []

    public init(_ code: Code, _ message: String, hint: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    public var diagnostics: [Diagnostic] {
        let category: Diagnostic.Category
        switch code {
        case .setupFailed, .io: category = .failure
        default: category = .refused
        }
        let main = Diagnostic(
            code: "lab.\(code.rawValue)", category: category, message: message, cause: cause, hint: hint)
        return [main]
            + located.map {
                Diagnostic(
                    code: "lab.\(code.rawValue)", category: category, message: $0.message, location: $0.location)
            }
    }

    /// A failed file or system operation; the cause is the underlying error's message (without its own
    /// `error:` headline, so the rendering does not nest one diagnostic in another).
    static func io(_ message: String, _ cause: any Error) -> LabError {
        let text = (cause as? any DiagnosticConvertible)?.diagnostics.map(\.message).joined(separator: "; ")
        return LabError(
            .io, message, hint: "check free space and permissions of the lab directory", cause: text ?? "\(cause)")
    }

    static func setup(_ message: String, cause: String?) -> LabError {
        LabError(
            .setupFailed, message,
            hint: "everything created so far was removed; the cause above says which system tool refused",
            cause: cause)
    }
}
