/// Splits one shell command line into words the way POSIX sh does for simple commands: blanks separate
/// words, single quotes keep everything, double quotes keep everything but `\"`, `\\`, `\$`, `` \` ``,
/// and a backslash outside quotes escapes the next character. Expansions (`$x`, `$(…)`) are kept as text.
///
/// Returns nil when quotes are unbalanced. Operators (`|`, `;`, `&&`, `>`) are returned as their own words
/// when they stand outside quotes, so callers can tell a pipeline from an argument.
public enum ShellWords {
    public static func split(_ line: some StringProtocol) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(line.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil

        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        func finish() {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        }

        while let scalar = next() {
            switch scalar {
            case " ", "\t", "\n":
                finish()
            case "'":
                inWord = true
                var closed = false
                while let inner = next() {
                    if inner == "'" { closed = true; break }
                    current.unicodeScalars.append(inner)
                }
                if !closed { return nil }
            case "\"":
                inWord = true
                var closed = false
                while let inner = next() {
                    if inner == "\"" { closed = true; break }
                    if inner == "\\", let escaped = next() {
                        if !"\"\\$`\n".unicodeScalars.contains(escaped) { current.unicodeScalars.append("\\") }
                        if escaped != "\n" { current.unicodeScalars.append(escaped) }
                        continue
                    }
                    current.unicodeScalars.append(inner)
                }
                if !closed { return nil }
            case "\\":
                inWord = true
                if let escaped = next(), escaped != "\n" { current.unicodeScalars.append(escaped) }
            case "|", ";", "&", ">", "<", "(", ")":
                finish()
                var operatorText = String(scalar)
                if let following = next() {
                    let pair = operatorText + String(following)
                    if ["||", "&&", ">>", "<<", ";;", "&>", ">&", "<&"].contains(pair) {
                        operatorText = pair
                    } else {
                        pending = following
                    }
                }
                words.append(operatorText)
            case "#" where !inWord:
                finish()
                return words
            default:
                inWord = true
                current.unicodeScalars.append(scalar)
            }
        }
        finish()
        return words
    }

    /// Quotes a word for POSIX sh so it is passed through unchanged (single quotes, `'\''` for a quote).
    public static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            Names.isASCIIAlphanumeric($0) || "@%+=:,./_-".unicodeScalars.contains($0)
        }
        if safe && !word.isEmpty { return word }
        // By Unicode scalar, not by Character: a quote followed by a combining mark is one Character that is not
        // equal to "'", yet the shell sees the quote byte — a Character-level replace would end the quoting there.
        var quoted = "'"
        for scalar in word.unicodeScalars {
            if scalar == "'" { quoted += "'\\''" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "'"
    }

    /// True for `set -e`/`set -o errexit` (also in option clusters such as `-eu`), false for `+e`; nil when
    /// the line does not touch errexit.
    public static func errexit(_ words: [String]) -> Bool? {
        var result: Bool?
        var index = 1
        while index < words.count {
            let word = words[index]
            index += 1
            guard let sign = word.first, sign == "-" || sign == "+" else { continue }
            if word.dropFirst() == "o", index < words.count {
                if words[index] == "errexit" { result = sign == "-" }
                index += 1
            } else if word.dropFirst().contains("e") {
                result = sign == "-"
            }
        }
        return result
    }
}
