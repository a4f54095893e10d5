/// Splits block text into commands the way a reader of the documentation sees them: one per line,
/// `\`-continued lines joined, comments and blank lines skipped. Here-documents inside a block are kept
/// whole with the command that opens them.
public enum ShellLines {
    public static func commands(of lines: [ScriptLine]) -> [Command] {
        var commands: [Command] = []
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].text.trimmingLeadingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                index += 1
                continue
            }
            let start = index
            var text = lines[index].text
            while text.hasSuffix("\\") && index + 1 < lines.count {
                text = String(text.dropLast()) + "\n" + lines[index + 1].text
                index += 1
            }
            if let delimiter = hereDocumentDelimiter(in: text) {
                while index + 1 < lines.count {
                    index += 1
                    text += "\n" + lines[index].text
                    if lines[index].text.trimmingLeadingTabs == delimiter { break }
                }
            }
            commands.append(
                Command(
                    text: text.trimmingLeadingSpaces, location: lines[start].location, firstLine: start + 1,
                    lineCount: index - start + 1))
            index += 1
        }
        return commands
    }

    /// The delimiter of a `<<WORD`, `<<-WORD`, `<<'WORD'` or `<<"WORD"` in a line (not `<<<`).
    static func hereDocumentDelimiter(in text: String) -> String? {
        // Scan bytes: this runs for every line of every block, and most lines have no "<<" at all.
        let bytes = Array(text.utf8)
        guard let at = bytes.indices.dropLast().first(where: { bytes[$0] == 0x3C && bytes[$0 + 1] == 0x3C }),
            at + 2 >= bytes.count || bytes[at + 2] != 0x3C
        else { return nil }
        var rest = Substring(text.utf8.dropFirst(at + 2))
        if rest.hasPrefix("-") { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " }
        let word = rest.prefix { !$0.isWhitespace && $0 != ";" && $0 != "|" && $0 != "&" && $0 != ")" }
        let unquoted = word.filter { $0 != "'" && $0 != "\"" }
        return unquoted.isEmpty ? nil : String(unquoted)
    }
}

extension StringProtocol {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " || $0 == "\t" }) }
    var trimmingLeadingTabs: String { String(drop { $0 == "\t" }) }
}
