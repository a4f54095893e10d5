public import Yams

/// A YAML file composed into Yams nodes (which carry positions), ready to be walked with `YAMLWalker`.
///
/// Yams rejects a whole document on the first duplicated key and points at the *first* occurrence. Users
/// need every problem at once and the position of the *second* occurrence, so duplicates are found here:
/// each later duplicate key is renamed in a private copy of the text, recorded as an error, and skipped by
/// the walker, and composing is retried.
public struct YAMLDocument {
    public let source: SourceText
    public let root: Yams.Node?
    public var errors: [InputError]
    /// Positions (line, column) of renamed duplicate keys; the walker skips those entries.
    let skippedKeys: Set<[Int]>

    public init(source: SourceText) {
        self.source = source
        var text = source.text
        var errors: [InputError] = []
        var skipped: Set<[Int]> = []
        var root: Yams.Node?
        for attempt in 0..<1000 {
            do {
                root = try Yams.compose(yaml: text)
                break
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let key = duplicates.first ?? ""
                guard
                    let (line, column) = Self.findLaterOccurrence(
                        of: key, after: context.mark, in: text)
                else {
                    errors.append(
                        source.error(
                            .duplicate, "duplicate key '\(key)' in this mapping", line: context.mark.line,
                            column: context.mark.column, hint: "keep one entry per key; YAML keeps only one of them"))
                    break
                }
                errors.append(
                    source.error(
                        .duplicate, "duplicate key '\(key)' (first defined at line \(context.mark.line))",
                        line: line, column: column,
                        hint: "rename or merge the two entries; YAML would silently keep only one"))
                skipped.insert([line, column])
                text = Self.renameKey(
                    at: line, column: column, length: key.unicodeScalars.count, in: text, attempt: attempt)
            } catch let error as YamlError {
                errors.append(Self.syntaxError(error, source: source))
                break
            } catch {
                errors.append(
                    source.error(.syntax, "cannot parse YAML: \(error)", line: 1, hint: "check the file is YAML"))
                break
            }
        }
        self.root = root
        self.errors = errors
        self.skippedKeys = skipped
    }

    static func syntaxError(_ error: YamlError, source: SourceText) -> InputError {
        let hint = "fix the YAML syntax at this position (indentation, a missing ':' or an unclosed quote or bracket)"
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return source.error(.syntax, "YAML: \(problem)", line: mark.line, column: mark.column, hint: hint)
        case .reader(let problem, let offset, _, _):
            let line = offset.map { Self.line(ofUTF8Offset: $0, in: source.text) } ?? 1
            return source.error(.syntax, "YAML: \(problem)", line: line, hint: "the file must be UTF-8 text")
        default:
            return source.error(.syntax, "YAML: \(error)", line: 1, hint: hint)
        }
    }

    private static func line(ofUTF8Offset offset: Int, in text: String) -> Int {
        1 + text.utf8.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// Finds a later line with the same key at the same column (block mappings align their keys).
    private static func findLaterOccurrence(of key: String, after mark: Mark, in text: String) -> (Int, Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Yams also counts a lone CR as a line break, so its mark can lie past the last LF-separated line.
        guard mark.line >= 1, mark.column >= 1, mark.line <= lines.count else { return nil }
        for index in mark.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            guard scalars.count >= mark.column else { continue }
            let rest = String(String.UnicodeScalarView(scalars[(mark.column - 1)...]))
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
                let after = rest.dropFirst(spelling.count).drop { $0 == " " }
                if after.hasPrefix(":") { return (index + 1, mark.column) }
            }
        }
        return nil
    }

    private static func renameKey(at line: Int, column: Int, length: Int, in text: String, attempt: Int) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var scalars = Array(lines[line - 1].unicodeScalars)
        var insertAt = column - 1 + length
        if insertAt < scalars.count, scalars[column - 1] == "\"" || scalars[column - 1] == "'" { insertAt += 1 }
        let marker = "__testbed_duplicate_\(attempt)"
        scalars.insert(contentsOf: marker.unicodeScalars, at: min(insertAt, scalars.count))
        lines[line - 1] = String(String.UnicodeScalarView(scalars))
        return lines.joined(separator: "\n")
    }
}
