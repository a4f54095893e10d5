/// A problem in something the user wrote: what is wrong, where, and what to do about it.
///
/// Rendered like a compiler diagnostic, with the offending source line and a caret:
/// ```
/// topologies/lab.yaml:14:19: error: link endpoint names unknown node 'db3'
///     endpoints: ["web1:eth1", "db3:eth1"]
///                              ^
/// hint: nodes declared in this topology: web1, web2, db1
/// ```
public struct InputError: DiagnosticConvertible, Sendable, Hashable {
    /// Stable identifiers, so tests and tools can match a kind of problem without parsing text.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let syntax = Code("syntax")
        public static let unknownKey = Code("unknown-key")
        public static let wrongType = Code("wrong-type")
        public static let missingKey = Code("missing-key")
        public static let invalidValue = Code("invalid-value")
        public static let duplicate = Code("duplicate")
        public static let unknownReference = Code("unknown-reference")
        public static let unreadable = Code("unreadable")
        public static let ambiguous = Code("ambiguous")
        public static let unterminated = Code("unterminated")
    }

    public typealias Severity = Diagnostic.Severity

    public var code: Code
    public var severity: Severity
    public var message: String
    public var location: InputLocation
    /// What the user can do about it. Required: an error without a way forward is half an error.
    public var hint: String
    /// The text of the line at `location`, shown under the message with a caret.
    public var sourceLine: String?

    public init(
        _ code: Code, _ message: String, at location: InputLocation, hint: String,
        sourceLine: String? = nil, severity: Severity = .error
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.location = location
        self.hint = hint
        self.sourceLine = sourceLine
    }

    public var diagnostic: Diagnostic {
        Diagnostic(
            code: "input.\(code)", category: .input, message: message,
            severity: severity, location: location, sourceLine: sourceLine, hint: hint)
    }

    public var diagnostics: [Diagnostic] { [diagnostic] }
}

/// Every problem found in one input, sorted by position. Loaders collect and throw these together,
/// so a user fixes a file in one pass instead of one error per run.
public struct InputErrors: DiagnosticConvertible, Sendable, Hashable {
    public var errors: [InputError]

    public init(_ errors: [InputError]) {
        self.errors = errors.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var diagnostics: [Diagnostic] { errors.map(\.diagnostic) }
}
