/// A problem in something the user wrote: what is wrong, where, and what to do about it.
///
/// Rendered like a compiler diagnostic, with the offending source line and a caret:
/// ```
/// topologies/lab.yaml:14:19: error: link endpoint names unknown node 'db3'
///     endpoints: ["web1:eth1", "db3:eth1"]
///                              ^
/// hint: nodes declared in this topology: web1, web2, db1
/// ```
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
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

    public enum Severity: String, Sendable, Hashable, Codable {
        case error, warning
    }

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

    public var description: String {
        var text = "\(location): \(severity.rawValue): \(message)"
        if let sourceLine {
            let shown = Self.printable(sourceLine)
            text += "\n    \(shown)\n    \(Self.caretPadding(for: shown, column: location.column))^"
        }
        text += "\nhint: \(hint)"
        return text
    }

    /// Control characters would garble a terminal; show them as `\u{..}` escapes.
    static func printable(_ line: String) -> String {
        var out = ""
        for scalar in line.unicodeScalars {
            if scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out
    }

    /// Spaces up to the column, keeping tabs so the caret lines up under tab-indented text.
    static func caretPadding(for line: String, column: Int) -> String {
        var pad = ""
        for (index, scalar) in line.unicodeScalars.enumerated() where index < column - 1 {
            pad += scalar == "\t" ? "\t" : " "
        }
        let missing = column - 1 - line.unicodeScalars.count
        if missing > 0 { pad += String(repeating: " ", count: missing) }
        return pad
    }
}

/// Every problem found in one input, sorted by position. Loaders collect and throw these together,
/// so a user fixes a file in one pass instead of one error per run.
public struct InputErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [InputError]

    public init(_ errors: [InputError]) {
        self.errors = errors.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var description: String {
        var text = errors.map(\.description).joined(separator: "\n\n")
        let count = errors.filter { $0.severity == .error }.count
        if count > 1 { text += "\n\n\(count) errors" }
        return text
    }
}
