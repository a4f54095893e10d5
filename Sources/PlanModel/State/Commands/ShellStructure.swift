/// The shell structure of one command line: `;`-separated and-or lists of pipelines of simple commands,
/// with `( … )` subshells and redirections, built on `ShellWords.split`. Here-documents and background jobs
/// make the line unparsable; control-flow keywords (`if`, `then`, …) read as programs the model does not
/// know. Either way the command is not modelled.
struct ShellList {
    enum Connector { case sequence, and, or }

    struct Item {
        var connector: Connector
        var pipeline: Pipeline
    }

    var items: [Item]

    /// Parses a command's text; nil when it uses shell syntax the model does not follow.
    static func parse(_ text: String) -> ShellList? {
        guard let tokens = ShellWords.split(text) else { return nil }
        var parser = ShellParser(tokens: tokens, text: text)
        guard let list = parser.parseList(), parser.index == tokens.count else { return nil }
        return list
    }
}

struct Pipeline {
    var stages: [SimpleCommand]
    var isNegated: Bool
}

struct SimpleCommand {
    var words: [String]
    var redirections: [Redirection]
    var subshell: ShellList?
}

struct Redirection {
    /// `>`, `>>`, `&>`, `>&`, `<`.
    var operation: String
    var fileDescriptor: Int?
    var target: String

    /// Output thrown away (or joined to another descriptor): no effect on any state.
    var isHarmless: Bool {
        target == "/dev/null" || operation == ">&" || operation == "<&" || (operation == "<" && target == "/dev/null")
    }
}

private struct ShellParser {
    let tokens: [String]
    let text: String
    var index = 0

    static let operators: Set<String> = [
        ";", "&&", "||", "|", "(", ")", ">", ">>", "&>", ">&", "<", "<<", "<&", "&", ";;",
    ]
    static let redirections: Set<String> = [">", ">>", "&>", ">&", "<", "<&"]

    var current: String? { index < tokens.count ? tokens[index] : nil }

    mutating func parseList() -> ShellList? {
        var items: [ShellList.Item] = []
        var connector = ShellList.Connector.sequence
        while let token = current, token != ")" {
            guard let pipeline = parsePipeline() else { return nil }
            items.append(ShellList.Item(connector: connector, pipeline: pipeline))
            guard let next = current else { break }
            switch next {
            case ";": connector = .sequence
            case "&&": connector = .and
            case "||": connector = .or
            case ")": return ShellList(items: items)
            default: return nil
            }
            index += 1
        }
        return items.isEmpty ? nil : ShellList(items: items)
    }

    mutating func parsePipeline() -> Pipeline? {
        var negated = false
        if current == "!" {
            negated = true
            index += 1
        }
        var stages: [SimpleCommand] = []
        while true {
            guard let command = parseCommand() else { return nil }
            stages.append(command)
            guard current == "|" else { break }
            index += 1
        }
        return Pipeline(stages: stages, isNegated: negated)
    }

    mutating func parseCommand() -> SimpleCommand? {
        var command = SimpleCommand(words: [], redirections: [], subshell: nil)
        if current == "(" {
            index += 1
            guard let inner = parseList(), current == ")" else { return nil }
            index += 1
            command.subshell = inner
        }
        while let token = current {
            if Self.redirections.contains(token) {
                var descriptor: Int?
                if let last = command.words.last, let number = Int(last), text.contains("\(last)\(token)") {
                    descriptor = number
                    command.words.removeLast()
                }
                index += 1
                guard let target = current, !Self.operators.contains(target) else { return nil }
                command.redirections.append(Redirection(operation: token, fileDescriptor: descriptor, target: target))
                index += 1
                continue
            }
            if Self.operators.contains(token) { break }
            if command.subshell != nil { return nil }
            command.words.append(token)
            index += 1
        }
        if command.words.isEmpty && command.subshell == nil && command.redirections.isEmpty { return nil }
        return command
    }
}
