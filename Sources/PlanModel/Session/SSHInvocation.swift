/// One `ssh` command line of a session, split into its target and the command it sends.
///
/// Recognised shapes (words as `ShellWords` splits them):
/// - `ssh [options] [user@]NODE cmd args… [&]` — a one-liner;
/// - `cat <<EOF | ssh [options] [user@]NODE bash [&]` and `ssh [options] NODE bash <<EOF [&]` — a heredoc.
struct SSHInvocation: Sendable, Hashable {
    var node: String
    /// Words after the target (the remote command), without a trailing `&` or the heredoc operator.
    var remote: [String]
    /// The heredoc's delimiter, when the line starts one.
    var heredocDelimiter: String?
    /// `<<-EOF`: leading tabs of the body and of the closing line are stripped.
    var stripsTabs: Bool
    /// The line ends in `&`.
    var background: Bool
    /// The index of the target word among the line's words (for the error column).
    var targetWord: Int

    /// ssh's options that take a value (`-F file`, `-p 22`, `-o Key=value`, …).
    static let valueOptions: Set<Character> = [
        "B", "b", "c", "D", "E", "e", "F", "I", "i", "J", "L", "l", "m", "O",
        "o", "p", "Q", "R", "S", "W", "w",
    ]

    enum Problem: Error, Equatable {
        case noTarget
        case localOperator(String)
    }

    /// Parses a line whose words contain `ssh`; nil when `ssh` is not there at all.
    static func parse(_ words: [String]) -> Result<SSHInvocation, Problem>? {
        guard let ssh = words.firstIndex(of: "ssh") else { return nil }
        var rest = Array(words[(ssh + 1)...])
        var background = false
        if rest.last == "&" {
            background = true
            rest.removeLast()
        }
        var heredoc: (delimiter: String, strips: Bool)? = Self.heredoc(in: Array(words[..<ssh]))
        if let at = rest.firstIndex(of: "<<"), at + 1 < rest.count {
            let word = rest[at + 1]
            heredoc = (word.hasPrefix("-") ? String(word.dropFirst()) : word, word.hasPrefix("-"))
            rest.removeSubrange(at...(at + 1))
        }
        var index = 0
        while index < rest.count, rest[index].hasPrefix("-"), rest[index].count >= 2 {
            let option = rest[index]
            index += 1
            // `-F file` takes the next word; `-Ffile` and flag clusters such as `-tt` do not.
            if option.count == 2, let letter = option.last, valueOptions.contains(letter) { index += 1 }
        }
        guard index < rest.count, !ScriptReader.isOperator(rest[index]) else { return .failure(.noTarget) }
        let target = rest[index]
        let remote = Array(rest[(index + 1)...])
        if let bad = remote.first(where: ScriptReader.isOperator) { return .failure(.localOperator(bad)) }
        let node = target.split(separator: "@", maxSplits: 1).last.map(String.init) ?? target
        return .success(
            SSHInvocation(
                node: node, remote: remote, heredocDelimiter: heredoc?.delimiter, stripsTabs: heredoc?.strips ?? false,
                background: background, targetWord: ssh + 1 + index))
    }

    /// `cat <<EOF |` before `ssh`.
    private static func heredoc(in words: [String]) -> (delimiter: String, strips: Bool)? {
        guard let at = words.firstIndex(of: "<<"), at + 1 < words.count, words.last == "|" else { return nil }
        let word = words[at + 1]
        return (word.hasPrefix("-") ? String(word.dropFirst()) : word, word.hasPrefix("-"))
    }

    /// The remote command as ssh sends it: its words joined by single spaces.
    var command: String { remote.joined(separator: " ") }

    /// The program the remote command runs, after `VAR=value` assignments (`QSPNCLIENT_FIFODIR=/x qspnclient`).
    var program: String? { remote.first { !Self.isAssignment($0) } }

    /// The first argument after the program (`show_local_identities`, `init` is found after options).
    var arguments: [String] {
        guard let start = remote.firstIndex(where: { !Self.isAssignment($0) }) else { return [] }
        return Array(remote[(start + 1)...])
    }

    static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        return word[..<equals].allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}
