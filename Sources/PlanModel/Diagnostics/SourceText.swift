/// The text of an input file, kept so diagnostics can quote the line they point at.
public struct SourceText: Sendable, Hashable {
    public let path: String
    public let text: String
    public let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        // Split on \n only: a \r stays visible in the line, which is what a user needs to see.
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The text of a 1-based line, or nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lines.count else { return nil }
        return String(lines[number - 1])
    }

    public func location(line: Int, column: Int = 1) -> InputLocation {
        InputLocation(file: path, line: line, column: column)
    }

    /// Builds an error at a position of this text, quoting its line.
    public func error(
        _ code: InputError.Code, _ message: String, line: Int, column: Int = 1, hint: String,
        severity: InputError.Severity = .error
    ) -> InputError {
        InputError(
            code, message, at: location(line: line, column: column), hint: hint,
            sourceLine: self.line(line), severity: severity)
    }
}
