/// A position in an input file: a topology, a plan, a documentation page or a replay script.
///
/// Lines and columns are 1-based, as editors and compilers print them. Columns count Unicode scalars.
public struct InputLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The path as the user gave it (kept relative when it was relative).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the form compilers and editors understand.
    public var description: String { "\(file):\(line):\(column)" }

    /// `file:line`, used where a column would be noise (command lines in reports).
    public var fileAndLine: String { "\(file):\(line)" }

    public static func < (lhs: InputLocation, rhs: InputLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
