/// One word or operator of a shell line, with where it stands in the raw text — what `ShellWords.split`
/// gives, plus the positions the script importer needs to cut a line into what runs on the controller and
/// what runs on a system.
struct ShellToken: Sendable, Hashable {
    /// The word with its quotes removed, or the operator (`|`, `||`, `<<`, …).
    var text: String
    var isOperator: Bool
    /// Unicode-scalar offsets in the raw text: the first scalar, and one past the last.
    var start: Int
    var end: Int
    /// Whether any part of the word was quoted or escaped (so it is not a keyword or an operator).
    var isQuoted: Bool

    func isWord(_ word: String) -> Bool { !isOperator && !isQuoted && text == word }
}

/// Splits a shell line into `ShellToken`s by the rules of `ShellWords.split`.
enum ShellTokenizer {
    static let pairs: Set<String> = ["||", "&&", ">>", "<<", ";;", "&>", ">&", "<&"]

    /// The tokens of `raw`; nil when its quotes are unbalanced. A `#` outside a word ends the line.
    static func tokens(_ raw: some StringProtocol) -> [ShellToken]? {
        let scalars = Array(raw.unicodeScalars)
        var tokens: [ShellToken] = []
        var current = ""
        var start = -1
        var quoted = false
        var index = 0
        func finish(at end: Int) {
            if start >= 0 {
                tokens.append(ShellToken(text: current, isOperator: false, start: start, end: end, isQuoted: quoted))
            }
            current = ""
            start = -1
            quoted = false
        }
        func begin() { if start < 0 { start = index } }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case " ", "\t", "\n":
                finish(at: index)
                index += 1
            case "'":
                begin()
                quoted = true
                index += 1
                guard let close = scalars[index...].firstIndex(of: "'") else { return nil }
                current.unicodeScalars.append(contentsOf: scalars[index..<close])
                index = close + 1
            case "\"":
                begin()
                quoted = true
                index += 1
                var closed = false
                while index < scalars.count {
                    let inner = scalars[index]
                    index += 1
                    if inner == "\"" {
                        closed = true
                        break
                    }
                    if inner == "\\", index < scalars.count {
                        let escaped = scalars[index]
                        index += 1
                        if !"\"\\$`\n".unicodeScalars.contains(escaped) { current.unicodeScalars.append("\\") }
                        if escaped != "\n" { current.unicodeScalars.append(escaped) }
                        continue
                    }
                    current.unicodeScalars.append(inner)
                }
                if !closed { return nil }
            case "\\":
                begin()
                quoted = true
                index += 1
                if index < scalars.count {
                    if scalars[index] != "\n" { current.unicodeScalars.append(scalars[index]) }
                    index += 1
                }
            case "|", ";", "&", ">", "<", "(", ")":
                finish(at: index)
                var text = String(scalar)
                var length = 1
                if index + 1 < scalars.count, pairs.contains(text + String(scalars[index + 1])) {
                    text += String(scalars[index + 1])
                    length = 2
                }
                tokens.append(
                    ShellToken(text: text, isOperator: true, start: index, end: index + length, isQuoted: false))
                index += length
            case "#" where start < 0:
                return tokens
            default:
                begin()
                current.unicodeScalars.append(scalar)
                index += 1
            }
        }
        finish(at: scalars.count)
        return tokens
    }

    /// The raw text between two scalar offsets.
    static func slice(_ raw: some StringProtocol, from start: Int, to end: Int? = nil) -> String {
        let scalars = Array(raw.unicodeScalars)
        let upper = min(end ?? scalars.count, scalars.count)
        guard start < upper else { return "" }
        return String(String.UnicodeScalarView(scalars[start..<upper]))
    }

    /// The offset of the first `$` or backquote that a shell would expand (outside single quotes), if any.
    static func firstExpansion(in raw: some StringProtocol) -> Int? {
        var inSingle = false
        var inDouble = false
        var escaped = false
        for (offset, scalar) in raw.unicodeScalars.enumerated() {
            if escaped {
                escaped = false
                continue
            }
            switch scalar {
            case "'" where !inDouble: inSingle.toggle()
            case "\"" where !inSingle: inDouble.toggle()
            case "\\" where !inSingle: escaped = true
            case "$", "`": if !inSingle { return offset }
            default: break
            }
        }
        return nil
    }
}
