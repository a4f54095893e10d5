public import PlanModel

/// A state dump the parsers could not read: which query, and what was wrong.
public struct StateParsingError: DiagnosticConvertible, Sendable, Hashable {
    public var query: String
    public var message: String

    public init(query: String, message: String) {
        self.query = query
        self.message = message
    }

    public var diagnostics: [Diagnostic] {
        [Diagnostic(code: "state.unreadable", category: .failure, message: "state query '\(query)': \(message)")]
    }
}
