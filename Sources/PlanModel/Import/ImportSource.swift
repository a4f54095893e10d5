/// The text of a page or script prepared for importing: encoding repaired, CRLF read as LF, binary data
/// refused — with the warnings and errors that produced.
struct ImportSource: Sendable {
    let source: SourceText
    /// The damages repaired, strongest first (usually one).
    let repairs: [EncodingRepair]
    var errors: [InputError] = []

    init(text: String, path: String) {
        var text = text
        var warnings: [InputError] = []
        let scalars = Array(text.unicodeScalars)
        // By scalars: a combining mark after the LF would hide a CRLF from Character comparison.
        if let end = scalars.indices.dropLast().first(where: { scalars[$0] == "\r" && scalars[$0 + 1] == "\n" }) {
            let line = 1 + scalars[..<end].filter { $0 == "\n" }.count
            warnings.append(
                InputError(
                    .invalidValue, "the file has CRLF line ends; they are read as LF",
                    at: InputLocation(file: path, line: line), hint: "save the file with LF line ends to silence this",
                    severity: .warning))
        }
        text = Self.withoutCarriageReturnsBeforeLineEnds(text)
        let (repaired, repairs) = EncodingRepairer.repairAll(text)
        self.source = SourceText(path: path, text: repaired)
        self.repairs = repairs
        self.errors = warnings
        if let (line, column, scalar) = Self.firstBinary(in: repaired) {
            errors.append(
                source.error(
                    .unreadable,
                    "the file contains binary data (U+\(String(scalar.value, radix: 16, uppercase: true)))",
                    line: line, column: column,
                    hint: "pass a documentation page (Markdown) or a replay script (bash); this looks like neither"))
        }
    }

    var hasErrors: Bool { errors.contains { $0.severity == .error } }

    /// Every run of CRs right before an LF or at the end removed (not only one: a render writes the text back
    /// with LF ends, and a CR left at a line end would be read as CRLF again next time).
    static func withoutCarriageReturnsBeforeLineEnds(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pending = 0
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                pending += 1
                continue
            }
            if scalar != "\n" { out.append(contentsOf: repeatElement("\r", count: pending)) }
            pending = 0
            out.append(scalar)
        }
        return String(out)
    }

    /// The first control character that text never contains (NUL, escape, …), with its line and column.
    static func firstBinary(in text: String) -> (Int, Int, Unicode.Scalar)? {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A:
                line += 1
                column = 1
                continue
            case 0x09, 0x0C, 0x0D: break
            case 0x00...0x1F, 0x7F, 0xFFFE, 0xFFFF: return (line, column, scalar)
            default: break
            }
            column += 1
        }
        return nil
    }

    /// The lines of a text, split at every U+000A (also where a combining mark follows it, which splitting by
    /// `Character` would miss).
    static func lines(_ text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    /// The plan title a source without one gets: its file name without the extension.
    static func defaultTitle(path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name.isEmpty ? "plan" : name }
        return String(name[..<dot])
    }
}

/// `--assume LINE=NODE` decisions, resolved and tracked so unused ones can be reported.
struct Assumptions: Sendable {
    private var nodes: [Int: NodeName] = [:]
    private var written: [Int: String] = [:]
    private(set) var used: Set<Int> = []

    init(_ given: [Int: String], resolver: SystemNameResolver, source: SourceText, errors: inout [InputError]) {
        for (line, name) in given.sorted(by: { $0.key < $1.key }) {
            written[line] = name
            if let node = resolver.resolve(name) {
                nodes[line] = node
            } else {
                errors.append(
                    InputError(
                        .unknownReference, "--assume \(line)=\(name) names an unknown system",
                        at: source.location(line: max(1, line)),
                        hint: "systems of this topology: \(resolver.candidateList)", sourceLine: source.line(line)))
            }
        }
    }

    /// The node assumed for any line of `lines`, marking it used.
    mutating func node(forAnyOf lines: ClosedRange<Int>) -> (line: Int, node: NodeName)? {
        for line in lines {
            if let node = nodes[line] {
                used.insert(line)
                return (line, node)
            }
        }
        return nil
    }

    /// Warnings for assumptions no block needed.
    func unusedWarnings(source: SourceText) -> [InputError] {
        written.keys.sorted().filter { !used.contains($0) && nodes[$0] != nil }.map { line in
            InputError(
                .invalidValue,
                "--assume \(line)=\(written[line] ?? "") was not used: "
                    + "line \(line) starts no block whose system is missing or unknown",
                at: source.location(line: max(1, line)),
                hint: "give the line of the '**sistema …**' line (or heredoc) whose system could not be told",
                sourceLine: source.line(line), severity: .warning)
        }
    }
}
