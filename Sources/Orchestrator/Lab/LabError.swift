/// Why a lab operation was refused or failed, and what the user can do about it.
public struct LabError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case notRoot, missingProgram, alreadyUp, topologyChanged, remoteTopology, notUp, setupFailed, io, busy
    }

    public var code: Code
    public var message: String
    public var hint: String
    public var cause: String?

    public init(_ code: Code, _ message: String, hint: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    public var description: String {
        var text = "error: \(message)"
        if let cause, !cause.isEmpty { text += "\ncause: \(cause)" }
        text += "\nhint: \(hint)"
        return text
    }

    static func io(_ message: String, _ cause: any Error) -> LabError {
        LabError(.io, message, hint: "check free space and permissions of the lab directory", cause: "\(cause)")
    }

    static func setup(_ message: String, cause: String?) -> LabError {
        LabError(
            .setupFailed, message,
            hint: "everything created so far was removed; the cause above says which system tool refused",
            cause: cause)
    }
}
