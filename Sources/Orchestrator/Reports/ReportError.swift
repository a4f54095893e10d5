public import PlanModel

/// A report or picture that could not be made or written (`report`, `graph`).
public struct ReportError: DiagnosticConvertible, Sendable {
    public var message: String
    public var hint: String
    public var cause: String?

    public init(_ message: String, hint: String, cause: String? = nil) {
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    public var diagnostics: [Diagnostic] {
        [Diagnostic(code: "report.unwritable", category: .refused, message: message, cause: cause, hint: hint)]
    }
}
