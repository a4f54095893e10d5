/// How a replay script reaches a system from the controller: `lxc exec NAME [options] [--] COMMAND…` or
/// `ssh [options] [user@]NAME [COMMAND…]`, found in one stage of a pipeline.
struct NodeInvocation: Sendable, Hashable {
    enum Transport: String, Sendable, Hashable {
        case lxc, ssh

        /// How the script names what it reaches, for messages.
        var nameKind: String { self == .lxc ? "container" : "ssh host" }
    }

    var transport: Transport
    /// The system's name as the script wrote it, without `user@`.
    var name: String
    /// 1-based column of `name` in the raw line.
    var nameColumn: Int
    /// Index (in the line's tokens) of the first word of the command run on the system; nil when none follows.
    var commandStart: Int?
    /// Index one past the stage's last token.
    var stageEnd: Int

    static let lxcValueOptions: Set<String> = ["--env", "--user", "--group", "--cwd", "--mode", "--project"]
    /// ssh options that take a value (`-p 22`, `-o Option=value`, or attached: `-p22`).
    static let sshValueLetters = Set("BbcDEeFIiJLlmOoPpQRSWw")

    /// The invocation at `tokens[start..<end]`, if the stage starts with `lxc exec` or `ssh`.
    init?(tokens: [ShellToken], start: Int, end: Int) {
        guard start < end else { return nil }
        stageEnd = end
        if tokens[start].isWord("lxc"), start + 1 < end, tokens[start + 1].isWord("exec") {
            transport = .lxc
            var index = start + 2
            func skipOptions() {
                while index < end, !tokens[index].isOperator, tokens[index].text.hasPrefix("-"),
                    tokens[index].text != "--"
                {
                    index += Self.lxcValueOptions.contains(tokens[index].text) ? 2 : 1
                }
            }
            skipOptions()
            guard index < end, !tokens[index].isOperator else { return nil }
            name = tokens[index].text
            nameColumn = tokens[index].start + 1
            index += 1
            skipOptions()
            if index < end, tokens[index].isWord("--") { index += 1 }
            commandStart = index < end && !tokens[index].isOperator ? index : nil
        } else if tokens[start].isWord("ssh") {
            transport = .ssh
            var index = start + 1
            while index < end, !tokens[index].isOperator, tokens[index].text.hasPrefix("-"), tokens[index].text != "-" {
                let option = tokens[index].text
                index += 1
                if option == "--" { break }
                for (offset, letter) in option.dropFirst().enumerated() where Self.sshValueLetters.contains(letter) {
                    // The value is the rest of this word, or the next word.
                    if offset == option.count - 2 { index += 1 }
                    break
                }
            }
            guard index < end, !tokens[index].isOperator else { return nil }
            let host = tokens[index].text
            let at = host.lastIndex(of: "@").map { host.index(after: $0) } ?? host.startIndex
            name = String(host[at...])
            guard !name.isEmpty else { return nil }
            nameColumn = tokens[index].start + 1 + host.unicodeScalars.count - name.unicodeScalars.count
            index += 1
            commandStart = index < end && !tokens[index].isOperator ? index : nil
        } else {
            return nil
        }
    }

    /// The stages of a line: token ranges between top-level `|` operators (not inside parentheses).
    static func stages(of tokens: [ShellToken]) -> [Range<Int>] {
        var stages: [Range<Int>] = []
        var depth = 0
        var start = 0
        for (index, token) in tokens.enumerated() where token.isOperator {
            switch token.text {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "|":
                guard depth == 0 else { continue }
                stages.append(start..<index)
                start = index + 1
            case "||", "&&", ";", "&":
                guard depth == 0 else { continue }
                // A list: only its first pipeline is looked at.
                stages.append(start..<index)
                return stages
            default: break
            }
        }
        stages.append(start..<tokens.count)
        return stages
    }

    /// The first stage of the line that reaches a system, with its index among the stages.
    static func find(in tokens: [ShellToken]) -> (stage: Int, invocation: NodeInvocation)? {
        for (number, range) in stages(of: tokens).enumerated() {
            if let invocation = NodeInvocation(tokens: tokens, start: range.lowerBound, end: range.upperBound) {
                return (number, invocation)
            }
        }
        return nil
    }
}
