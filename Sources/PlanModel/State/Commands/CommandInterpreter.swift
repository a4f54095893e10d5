/// Runs command text against a node's state: the shell structure (`;`, `&&`, `||`, pipelines, redirections,
/// `set -e` rules inside the line), the programs the model knows, and `ip netns exec`.
struct CommandInterpreter {
    var state: NodeState

    static let rtTablesPath = "/etc/iproute2/rt_tables"

    /// Programs that change nothing the model tracks and whose success the model assumes.
    static let harmlessPrograms: Set<String> = [
        "true", ":", "echo", "printf", "sleep", "set", "ping", "ping6", "cat", "grep", "egrep", "head", "tail",
        "iptables-save", "hostname", "date", "uname", "wc", "awk", "sort", "uniq", "cut", "tr", "test", "[",
        "shopt", "export", "cd", "pwd", "ls", "arp", "ss", "netstat", "id", "whoami", "wait",
    ]

    /// Runs one command (one `Command` of a block) in a namespace (nil: the default one).
    mutating func run(_ text: String, namespace: String?) -> CommandOutcome {
        guard let list = ShellList.parse(text) else {
            return notModelled("shell syntax the model does not follow", scope: .everything)
        }
        return run(list, namespace: namespace)
    }

    mutating func run(_ list: ShellList, namespace: String?) -> CommandOutcome {
        var unknowns: [NotModelled] = []
        var lastSucceeded = true
        // Each `;`-separated and-or list is its own command for `set -e`; inside one, only the last pipeline
        // that runs can stop the block.
        var groups: [[ShellList.Item]] = []
        for item in list.items {
            if item.connector == .sequence || groups.isEmpty {
                groups.append([item])
            } else {
                groups[groups.count - 1].append(item)
            }
        }
        for group in groups {
            lastSucceeded = true
            for (position, item) in group.enumerated() {
                if position > 0 {
                    if item.connector == .and && !lastSucceeded { continue }
                    if item.connector == .or && lastSucceeded { continue }
                }
                var outcome = run(item.pipeline, namespace: namespace)
                if item.pipeline.isNegated {
                    switch outcome {
                    case .success:
                        outcome = .failure(
                            CommandFailure(reason: "negated command succeeded", toolMessage: "", exitStatus: 1))
                    case .failure: outcome = .success
                    case .notModelled: break
                    }
                }
                switch outcome {
                case .success:
                    lastSucceeded = true
                case .notModelled(let unknown):
                    unknowns.append(unknown)
                    lastSucceeded = true
                case .failure(let failure):
                    lastSucceeded = false
                    let isLast = position == group.count - 1
                    if isLast && !item.pipeline.isNegated { return .failure(failure) }
                }
            }
        }
        if unknowns.isEmpty { return .success }
        return .notModelled(
            NotModelled(
                reason: unknowns.map(\.reason).joined(separator: "; "), scope: Self.merge(unknowns.map(\.scope))))
    }

    static func merge(_ scopes: [UnknownScope]) -> UnknownScope {
        var merged = UnknownScope.nothing
        for scope in scopes {
            switch (merged, scope) {
            case (.everything, _), (_, .nothing): continue
            case (_, .everything), (.nothing, _): merged = scope
            case (.aspects(let a, let n1), .aspects(let b, let n2)) where n1 == n2:
                merged = .aspects(a.union(b), namespace: n1)
            default: merged = .everything
            }
        }
        return merged
    }

    mutating func run(_ pipeline: Pipeline, namespace: String?) -> CommandOutcome {
        if pipeline.stages.count == 1 { return run(pipeline.stages[0], namespace: namespace, input: nil) }
        // The rt_tables idiom: `(echo; echo "N name # …") | tee -a /etc/iproute2/rt_tables >/dev/null`.
        if let last = pipeline.stages.last, last.words.first == "tee" {
            var text = ""
            for stage in pipeline.stages.dropLast() {
                guard let output = Self.echoOutput(of: stage) else {
                    return notModelled(
                        "a pipeline into tee whose input the model cannot compute", scope: .node([.rtTables]))
                }
                text = output
            }
            return tee(Array(last.words.dropFirst()), input: text, redirections: last.redirections)
        }
        let allHarmless = pipeline.stages.allSatisfy { stage in
            stage.subshell == nil && stage.redirections.allSatisfy(\.isHarmless) && Self.onlyReads(stage.words)
        }
        return notModelled(
            "a pipeline (its status depends on its output)", scope: allHarmless ? .nothing : .everything)
    }

    /// What a stage made of `echo` commands (alone or in a subshell) prints; nil for anything else.
    static func echoOutput(of stage: SimpleCommand) -> String? {
        guard stage.redirections.isEmpty else { return nil }
        if let subshell = stage.subshell {
            var text = ""
            for item in subshell.items {
                guard item.connector == .sequence, item.pipeline.stages.count == 1, !item.pipeline.isNegated,
                    let output = echoOutput(of: item.pipeline.stages[0])
                else { return nil }
                text += output
            }
            return text
        }
        return echo(stage.words)
    }

    /// `echo WORDS…` output, or nil for options the model does not follow.
    static func echo(_ words: [String]) -> String? {
        guard words.first == "echo" else { return nil }
        var arguments = Array(words.dropFirst())
        var newline = "\n"
        if arguments.first == "-n" {
            newline = ""
            arguments.removeFirst()
        }
        if let first = arguments.first, first.hasPrefix("-"), first.count > 1,
            first.dropFirst().allSatisfy({ "neE".contains($0) })
        {
            return nil
        }
        return arguments.joined(separator: " ") + newline
    }

    /// `tee [-a] FILE…` given its input.
    mutating func tee(_ arguments: [String], input: String, redirections: [Redirection]) -> CommandOutcome {
        var append = false
        var files: [String] = []
        for argument in arguments {
            if argument == "-a" || argument == "--append" {
                append = true
            } else if argument.hasPrefix("-") {
                return notModelled("tee \(argument)", scope: .node([.rtTables]))
            } else {
                files.append(argument)
            }
        }
        guard redirections.allSatisfy(\.isHarmless) else {
            return notModelled("tee's output redirected to a file", scope: .everything)
        }
        for file in files {
            guard file == Self.rtTablesPath else {
                if file.hasPrefix("/etc/iproute2/") || file.hasPrefix("/proc/sys/") {
                    return notModelled("writing \(file)", scope: .everything)
                }
                continue
            }
            writeRTTables(input, append: append)
        }
        return .success
    }

    mutating func writeRTTables(_ text: String, append: Bool) {
        guard !state.unknown.contains(.rtTables) else { return }
        if append { state.rtTables.append(text) } else { state.rtTables = RTTablesFile(text: text) }
    }

    /// Runs a simple command (no pipeline).
    mutating func run(_ command: SimpleCommand, namespace: String?, input: String?) -> CommandOutcome {
        if let subshell = command.subshell {
            guard command.redirections.allSatisfy(\.isHarmless) else {
                return notModelled("a subshell's output redirected to a file", scope: .everything)
            }
            var copy = self
            let outcome = copy.run(subshell, namespace: namespace)
            self = copy
            return outcome
        }
        var words = command.words
        while let first = words.first, first.contains("="), !first.hasPrefix("="),
            first.prefix(while: { $0 != "=" }).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        {
            words.removeFirst()
        }
        if words.first == "sudo" || words.first == "command" || words.first == "exec" { words.removeFirst() }
        for redirection in command.redirections where !redirection.isHarmless {
            let readsOnly =
                words.first.map { Self.harmlessPrograms.contains($0) && $0 != "echo" && $0 != "printf" } ?? false
                || Self.isReadOnlyIP(words) || Self.isReadOnlyNft(words)
            let sensitive = redirection.target.hasPrefix("/etc/iproute2/") || redirection.target.hasPrefix("/proc/sys/")
            if readsOnly && !sensitive { continue }
            if redirection.operation == ">>" || redirection.operation == ">" {
                return redirectOutput(
                    words, to: redirection.target, append: redirection.operation == ">>", namespace: namespace)
            }
            return notModelled("redirection \(redirection.operation) \(redirection.target)", scope: .nothing)
        }
        guard let program = words.first else { return .success }
        let arguments = Array(words.dropFirst())
        switch program {
        case "ip": return runIP(arguments, namespace: namespace)
        case "iptables", "iptables-nft", "iptables-legacy": return runIptables(arguments, namespace: namespace)
        case "sysctl": return runSysctl(arguments, namespace: namespace)
        case "nft": return runNft(arguments, namespace: namespace)
        case "sed": return runSed(arguments)
        case "tee": return notModelled("tee without a known input", scope: .node([.rtTables]))
        case "exit", "return": return notModelled("\(program) ends the block", scope: .nothing)
        default:
            if Self.harmlessPrograms.contains(program) { return .success }
            return notModelled("program '\(program)' is not modelled", scope: .everything)
        }
    }

    /// `echo TEXT >> FILE` (rt_tables, or a `/proc/sys` parameter).
    mutating func redirectOutput(_ words: [String], to target: String, append: Bool, namespace: String?)
        -> CommandOutcome
    {
        guard let text = Self.echo(words) else {
            return notModelled("output of '\(words.first ?? "")' written to \(target)", scope: .everything)
        }
        if target == Self.rtTablesPath {
            writeRTTables(text, append: append)
            return .success
        }
        if target.hasPrefix("/proc/sys/") {
            let name = target.dropFirst("/proc/sys/".count).replacingOccurrences(of: "/", with: ".")
            return runSysctl(["\(name)=\(text.trimmingCharacters(in: "\n "))"], namespace: namespace)
        }
        if target.hasPrefix("/etc/iproute2/") { return notModelled("writing \(target)", scope: .everything) }
        return notModelled("writing \(target)", scope: .nothing)
    }

    /// Whether a command's words only read: a harmless program, or `ip` or `nft` listing (an empty command too).
    static func onlyReads(_ words: [String]) -> Bool {
        guard let program = words.first else { return true }
        return harmlessPrograms.contains(program) || isReadOnlyIP(words) || isReadOnlyNft(words)
    }

    /// Whether an `ip` command line only reads.
    static func isReadOnlyIP(_ words: [String]) -> Bool {
        guard words.first == "ip" else { return false }
        let rest = words.dropFirst().filter { !$0.hasPrefix("-") }
        guard rest.count >= 1 else { return false }
        let verb = rest.count >= 2 ? rest[rest.startIndex + 1] : "show"
        return ["show", "list", "lst", "ls", "get", "sh"].contains(verb)
    }

    // MARK: Outcomes

    func notModelled(_ reason: String, scope: UnknownScope) -> CommandOutcome {
        .notModelled(NotModelled(reason: reason, scope: scope))
    }

    func failure(_ reason: String, _ tool: String, status: Int32 = 2, missing: Prerequisite? = nil) -> CommandOutcome {
        .failure(CommandFailure(reason: reason, toolMessage: tool, exitStatus: status, missing: missing))
    }

    /// The state key of a namespace a command runs in, creating an all-unknown placeholder when the node's
    /// namespace list is unknown; a failure when the namespace does not exist.
    mutating func enter(_ namespace: String?) -> Result<String, CommandFailure> {
        let key = NodeState.key(namespace)
        if state.namespaces[key] != nil { return .success(key) }
        guard let name = namespace else { return .success(key) }
        if state.unknown.contains(.namespaces) {
            state.namespaces[key] = NamespaceState(
                name: name, links: [], tablesKnown: false, unknown: Set(StateAspect.allCases))
            return .success(key)
        }
        return .failure(
            CommandFailure(
                reason: "netns \(name) does not exist",
                toolMessage: "Cannot open network namespace \"\(name)\": No such file or directory", exitStatus: 255,
                missing: .namespace(name)))
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
