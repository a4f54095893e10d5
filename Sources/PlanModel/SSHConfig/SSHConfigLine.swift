/// One meaningful line of an `ssh_config` file: its keyword and arguments, each with its column.
///
/// OpenSSH's rules: the keyword ends at white space or `=` (`Port=22`, `Port = 22`, `Port 22`), keywords are
/// case-insensitive, arguments are split at white space, and double or single quotes group words
/// (`IdentityFile "~/my keys/id"`). `#` starts a comment at the beginning of a line or of a word.
struct SSHConfigLine: Sendable, Hashable {
    /// One argument and the 1-based column where it starts.
    struct Word: Sendable, Hashable {
        var text: String
        var column: Int
    }

    /// The keyword as written.
    var keyword: String
    var keywordColumn: Int
    var arguments: [Word]
    var lineNumber: Int

    /// The keyword in lower case, the form the directives are matched by.
    var name: String { keyword.lowercased() }

    /// Why a line could not be split.
    struct Problem: Error, Sendable, Hashable {
        var message: String
        var column: Int
        var hint: String
    }

    /// Splits one line. Returns nil for blank lines and comments.
    /// - Throws: `Problem` for an unterminated quote.
    static func parse(_ text: Substring, lineNumber: Int) throws(Problem) -> SSHConfigLine? {
        let scalars = Array(text.unicodeScalars)
        var words: [Word] = []
        var index = 0
        var isFirst = true
        while true {
            while index < scalars.count, isBlank(scalars[index]) || (isFirst && scalars[index] == "=") {
                index += 1
            }
            guard index < scalars.count, scalars[index] != "#" else { break }
            let word = try readWord(scalars, from: &index, stopAtEquals: isFirst)
            words.append(word)
            if isFirst, index < scalars.count, scalars[index] == "=" { index += 1 }
            isFirst = false
        }
        guard let first = words.first else { return nil }
        return SSHConfigLine(
            keyword: first.text, keywordColumn: first.column, arguments: Array(words.dropFirst()),
            lineNumber: lineNumber)
    }

    /// Reads one word starting at `index` (not blank), joining quoted parts.
    private static func readWord(_ scalars: [Unicode.Scalar], from index: inout Int, stopAtEquals: Bool)
        throws(Problem) -> Word
    {
        let column = index + 1
        var text = String.UnicodeScalarView()
        while index < scalars.count, !isBlank(scalars[index]) {
            let scalar = scalars[index]
            if stopAtEquals, scalar == "=" { break }
            if scalar == "\"" || scalar == "'" {
                guard let close = scalars[(index + 1)...].firstIndex(of: scalar) else {
                    throw Problem(
                        message: "unterminated \(scalar == "\"" ? "double" : "single") quote", column: index + 1,
                        hint: "close the quote on the same line; ssh_config values cannot span lines")
                }
                text.append(contentsOf: scalars[(index + 1)..<close])
                index = close + 1
            } else {
                text.append(scalar)
                index += 1
            }
        }
        return Word(text: String(text), column: column)
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\r"
    }
}
