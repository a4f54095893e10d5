/// `iptables -t TABLE -A|-I|-D|-C|-F CHAIN …` in the built-in chains, for the rules `IptablesRuleSpec`
/// reads. Rules are compared in `iptables-save`'s spelling; listing commands change nothing.
extension CommandInterpreter {
    /// An `iptables` command line: its table, command, chain, rule number and the words of the rule.
    struct IptablesCommand {
        var table = "filter"
        /// `-A`, `-I`, `-D`, `-C`, `-F` (long forms folded), `-L` for any listing; nil when none is given.
        var command: String?
        var chain: String?
        /// The rule number after `-I CHAIN` or `-D CHAIN`.
        var position: Int?
        var ruleWords: [String] = []

        /// Reads the words; nil when `-t` has no value.
        init?(_ words: [String]) {
            var cursor = WordCursor(words)
            while let word = cursor.current {
                switch word {
                case "-t", "--table":
                    guard let value = cursor.next() else { return nil }
                    table = value
                case "-w", "--wait":
                    if let value = cursor.following, Int(value) != nil { cursor.advance() }
                case "-F", "--flush":
                    command = "-F"
                    // The chain is optional: iptables takes the next word only when it is not an option.
                    if let next = cursor.following, !next.hasPrefix("-"), !next.hasPrefix("!") {
                        chain = cursor.next()
                    }
                case "-A", "--append", "-I", "--insert", "-D", "--delete", "-C", "--check":
                    command = word.count == 2 ? word : "-" + String(word.dropFirst(2).prefix(1)).uppercased()
                    chain = cursor.next()
                    if let next = cursor.following, let number = Int(next), command == "-I" || command == "-D" {
                        position = number
                        cursor.advance()
                    }
                case "-L", "--list", "-S", "--list-rules", "-n", "-v", "--line-numbers", "-x", "--numeric",
                    "--verbose":
                    if command == nil { command = "-L" }
                default:
                    ruleWords.append(word)
                }
                cursor.advance()
            }
        }
    }

    mutating func runIptables(_ words: [String], namespace: String?) -> CommandOutcome {
        let key: String
        switch enter(namespace) {
        case .success(let value): key = value
        case .failure(let failure): return .failure(failure)
        }
        let scope = UnknownScope.aspects([.iptables], namespace: name(key))
        guard let parsed = IptablesCommand(words) else { return notModelled("iptables -t", scope: scope) }
        guard let command = parsed.command else {
            return notModelled("iptables \(words.joined(separator: " "))", scope: scope)
        }
        if command == "-L" { return .success }
        let table = parsed.table
        guard let chains = IptablesState.builtinChains[table] else {
            return notModelled("iptables table \(table)", scope: scope)
        }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.unknown.contains(.iptables) { return .success }
        if command == "-F" { return flushIptables(table: table, chain: parsed.chain, chains: chains, key: key) }
        guard let chain = parsed.chain else { return notModelled("iptables \(command) without a chain", scope: scope) }
        guard chains.contains(chain) else {
            return failure(
                "no chain \(chain) in the \(table) table of \(label(key))",
                "iptables: No chain/target/match by that name.",
                status: 1)
        }
        if command == "-D", let position = parsed.position, parsed.ruleWords.isEmpty {
            return deleteIptablesRule(number: position, table: table, chain: chain, key: key)
        }
        let rule: String
        do {
            rule = try IptablesRuleSpec(parsed.ruleWords).canonical(table: table, chain: chain)
        } catch {
            switch error {
            case .notModelled(let reason): return notModelled(reason, scope: scope)
            case .invalid(let reason, let tool, let status): return failure(reason, tool, status: status)
            }
        }
        return write(rule, command: command, position: parsed.position, table: table, chain: chain, key: key)
    }

    /// `-F [CHAIN]`: empties one built-in chain, or every one of the table.
    mutating func flushIptables(table: String, chain: String?, chains: [String], key: String) -> CommandOutcome {
        if let chain, !chains.contains(chain) {
            return failure(
                "no chain \(chain) in table \(table)", "iptables: No chain/target/match by that name.", status: 1)
        }
        for name in chain.map({ [$0] }) ?? chains { state.namespaces[key]?.iptables.tables[table]?[name] = [] }
        return .success
    }

    /// `-D CHAIN NUMBER`.
    mutating func deleteIptablesRule(number: Int, table: String, chain: String, key: String) -> CommandOutcome {
        guard var rules = state.namespaces[key]?.iptables.rules(table: table, chain: chain) else { return .success }
        guard number >= 1, number <= rules.count else {
            return failure(
                "rule \(number) does not exist in \(table) \(chain)", "iptables: Index of deletion too big.", status: 1)
        }
        rules.remove(at: number - 1)
        state.namespaces[key]?.iptables.tables[table, default: [:]][chain] = rules
        return .success
    }

    /// `-A`, `-I [NUMBER]`, `-D` or `-C` with a rule in iptables-save's spelling.
    mutating func write(
        _ rule: String, command: String, position: Int?, table: String, chain: String, key: String
    ) -> CommandOutcome {
        guard var rules = state.namespaces[key]?.iptables.rules(table: table, chain: chain) else { return .success }
        let absent = "no rule '-A \(chain) \(rule)' in the \(table) table of \(label(key))"
        let absentMessage = "iptables: Bad rule (does a matching rule exist in that chain?)."
        switch command {
        case "-A":
            rules.append(rule)
        case "-I":
            let at = (position ?? 1) - 1
            guard at >= 0, at <= rules.count else {
                return failure(
                    "position \(at + 1) is past the end of \(table) \(chain)", "iptables: Index of insertion too big.",
                    status: 1)
            }
            rules.insert(rule, at: at)
        case "-D":
            guard let found = rules.firstIndex(of: rule) else {
                return failure(
                    absent, absentMessage, status: 1,
                    missing: .iptablesRule(namespace: name(key), table: table, chain: chain, rule: rule))
            }
            rules.remove(at: found)
        case "-C":
            guard rules.contains(rule) else { return failure(absent, absentMessage, status: 1) }
            return .success
        default:
            return notModelled("iptables \(command)", scope: .aspects([.iptables], namespace: name(key)))
        }
        state.namespaces[key]?.iptables.tables[table, default: [:]][chain] = rules
        return .success
    }
}
