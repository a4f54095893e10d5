/// `iptables -t TABLE -A|-I|-D|-C|-F CHAIN …` for the rules the model knows: `-s`, `-d`, `-i`, `-o`,
/// `-m mac --mac-source`, and the targets MARK (`--set-mark`, `--set-xmark`), SNAT (`--to-source`), NETMAP
/// (`--to`), ACCEPT, DROP, RETURN, MASQUERADE. Rules are compared in `iptables-save`'s spelling.
extension CommandInterpreter {
    mutating func runIptables(_ words: [String], key: String? = nil, namespace: String?) -> CommandOutcome {
        let stateKey: String
        switch enter(namespace) {
        case .success(let value): stateKey = value
        case .failure(let failure): return .failure(failure)
        }
        let scope = UnknownScope.aspects([.iptables], namespace: name(stateKey))
        var table = "filter"
        var command: String?
        var chain: String?
        var position: Int?
        var rest: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let value = index + 1 < words.count ? words[index + 1] : nil
            switch word {
            case "-t", "--table":
                guard let value else { return notModelled("iptables -t", scope: scope) }
                table = value
                index += 1
            case "-w", "--wait":
                if let value, Int(value) != nil { index += 1 }
            case "-A", "--append", "-I", "--insert", "-D", "--delete", "-C", "--check", "-F", "--flush":
                command = word.count == 2 ? word : "-" + String(word.dropFirst(2).prefix(1)).uppercased()
                chain = value
                index += 1
                if let next = index + 1 < words.count ? words[index + 1] : nil, let number = Int(next),
                    command == "-I" || command == "-D"
                {
                    position = number
                    index += 1
                }
            case "-L", "--list", "-S", "--list-rules", "-n", "-v", "--line-numbers", "-x", "--numeric", "--verbose":
                if command == nil { command = "-L" }
            default:
                rest.append(word)
            }
            index += 1
        }
        guard let command else { return notModelled("iptables \(words.joined(separator: " "))", scope: scope) }
        if command == "-L" { return .success }
        guard let chains = IptablesState.builtinChains[table] else {
            return notModelled("iptables table \(table)", scope: scope)
        }
        guard let namespace = state.namespaces[stateKey] else { return .success }
        if namespace.unknown.contains(.iptables) { return .success }
        if command == "-F" {
            if let chain, !chains.contains(chain) {
                return failure(
                    "no chain \(chain) in table \(table)", "iptables: No chain/target/match by that name.", status: 1)
            }
            for name in chain.map({ [$0] }) ?? chains { state.namespaces[stateKey]?.iptables.tables[table]?[name] = [] }
            return .success
        }
        guard let chain else { return notModelled("iptables \(command) without a chain", scope: scope) }
        guard chains.contains(chain) else {
            return failure(
                "no chain \(chain) in the \(table) table of \(label(stateKey))",
                "iptables: No chain/target/match by that name.",
                status: 1)
        }
        var current = namespace.iptables.rules(table: table, chain: chain)
        if command == "-D", let position, rest.isEmpty {
            guard position >= 1, position <= current.count else {
                return failure(
                    "rule \(position) does not exist in \(table) \(chain)", "iptables: Index of deletion too big.",
                    status: 1)
            }
            current.remove(at: position - 1)
            state.namespaces[stateKey]?.iptables.tables[table, default: [:]][chain] = current
            return .success
        }
        let rule: String
        switch Self.canonicalRule(rest, table: table, chain: chain) {
        case .success(let text): rule = text
        case .failure(let problem):
            switch problem {
            case .notModelled(let reason): return notModelled(reason, scope: scope)
            case .invalid(let reason, let tool, let status): return failure(reason, tool, status: status)
            }
        }
        switch command {
        case "-A":
            current.append(rule)
        case "-I":
            let at = (position ?? 1) - 1
            guard at >= 0, at <= current.count else {
                return failure(
                    "position \(at + 1) is past the end of \(table) \(chain)", "iptables: Index of insertion too big.",
                    status: 1)
            }
            current.insert(rule, at: at)
        case "-D":
            guard let found = current.firstIndex(of: rule) else {
                return failure(
                    "no rule '-A \(chain) \(rule)' in the \(table) table of \(label(stateKey))",
                    "iptables: Bad rule (does a matching rule exist in that chain?).", status: 1,
                    missing: .iptablesRule(namespace: name(stateKey), table: table, chain: chain, rule: rule))
            }
            current.remove(at: found)
        case "-C":
            guard current.contains(rule) else {
                return failure(
                    "no rule '-A \(chain) \(rule)' in the \(table) table of \(label(stateKey))",
                    "iptables: Bad rule (does a matching rule exist in that chain?).", status: 1)
            }
            return .success
        default:
            return notModelled("iptables \(command)", scope: scope)
        }
        state.namespaces[stateKey]?.iptables.tables[table, default: [:]][chain] = current
        return .success
    }

    enum IptablesProblem: Error {
        case notModelled(String)
        case invalid(String, String, Int32)
    }

    /// The rule as `iptables-save` prints it after `-A CHAIN `.
    static func canonicalRule(_ words: [String], table: String, chain: String) -> Result<String, IptablesProblem> {
        var source: String?
        var destination: String?
        var input: String?
        var output: String?
        var matches: [String] = []
        var target: String?
        var targetOptions: [String: String] = [:]
        var index = 0
        func value() -> String? {
            index += 1
            return index < words.count ? words[index] : nil
        }
        func address(_ text: String?) -> String? {
            guard let text, let prefix = IPPrefix(text), prefix.address.isV4 else { return nil }
            return prefix.network.withLength
        }
        while index < words.count {
            let word = words[index]
            switch word {
            case "-s", "--source", "--src":
                guard let text = address(value()) else { return .failure(.notModelled("iptables -s value")) }
                source = text
            case "-d", "--destination", "--dst":
                guard let text = address(value()) else { return .failure(.notModelled("iptables -d value")) }
                destination = text
            case "-i", "--in-interface": input = value()
            case "-o", "--out-interface": output = value()
            case "-m", "--match":
                guard let module = value() else { return .failure(.notModelled("iptables -m")) }
                guard module == "mac" else { return .failure(.notModelled("iptables match module \(module)")) }
                guard index + 2 < words.count, words[index + 1] == "--mac-source",
                    let mac = MACAddress(words[index + 2])
                else {
                    return .failure(.invalid("bad --mac-source", "iptables: Bad mac address", 2))
                }
                index += 2
                matches.append("-m mac --mac-source \(mac.description.lowercased())")
            case "-j", "--jump":
                target = value()
            default:
                guard word.hasPrefix("--"), target != nil, let text = value() else {
                    return .failure(.notModelled("iptables option '\(word)'"))
                }
                targetOptions[word] = text
            }
            index += 1
        }
        var parts: [String] = []
        if let source { parts.append("-s \(source)") }
        if let destination { parts.append("-d \(destination)") }
        if let input { parts.append("-i \(input)") }
        if let output { parts.append("-o \(output)") }
        parts += matches
        guard let target else { return .failure(.notModelled("iptables rule without -j")) }
        switch target {
        case "MARK":
            guard table == "mangle" else {
                return .failure(
                    .invalid(
                        "MARK is valid only in the mangle table", "iptables: RULE_APPEND failed (Invalid argument)", 4))
            }
            let options = targetOptions.keys.sorted()
            guard options.count == 1, let option = options.first, let text = targetOptions[option] else {
                return .failure(.notModelled("MARK options \(options)"))
            }
            // Empty parts kept: `''` and `/5` have an empty mark, which iptables refuses.
            let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let mark = RTTablesFile.parseNumber(pieces[0]) else {
                return .failure(.invalid("bad mark \(text)", "iptables: Bad MARK value", 2))
            }
            var mask: UInt32 = 0xFFFF_FFFF
            if pieces.count == 2 {
                guard let parsed = RTTablesFile.parseNumber(pieces[1]) else {
                    return .failure(.notModelled("MARK mask"))
                }
                mask = parsed
            }
            switch option {
            case "--set-xmark": break
            case "--set-mark": if pieces.count == 2 { mask |= mark }
            default: return .failure(.notModelled("MARK \(option)"))
            }
            parts.append("-j MARK --set-xmark 0x\(String(mark, radix: 16))/0x\(String(mask, radix: 16))")
        case "SNAT":
            guard table == "nat", chain == "POSTROUTING" || chain == "INPUT" else {
                return .failure(
                    .invalid(
                        "SNAT is valid only in nat POSTROUTING and INPUT",
                        "iptables: RULE_APPEND failed (Invalid argument)", 4))
            }
            guard targetOptions.count == 1, let text = targetOptions["--to-source"] ?? targetOptions["--to"] else {
                return .failure(.notModelled("SNAT options"))
            }
            guard let address = IPAddress(text), address.isV4 else {
                return .failure(.invalid("bad SNAT address \(text)", "iptables: Bad IP address \"\(text)\"", 2))
            }
            parts.append("-j SNAT --to-source \(address)")
        case "NETMAP":
            guard table == "nat", chain != "FORWARD" else {
                return .failure(
                    .invalid(
                        "NETMAP is valid only in the nat table", "iptables: RULE_APPEND failed (Invalid argument)", 4))
            }
            guard targetOptions.count == 1, let text = targetOptions["--to"], let prefix = address(text) else {
                return .failure(.notModelled("NETMAP options"))
            }
            parts.append("-j NETMAP --to \(prefix)")
        case "ACCEPT", "DROP", "RETURN", "MASQUERADE":
            guard targetOptions.isEmpty else { return .failure(.notModelled("\(target) options")) }
            if target == "MASQUERADE" && !(table == "nat" && chain == "POSTROUTING") {
                return .failure(
                    .invalid(
                        "MASQUERADE is valid only in nat POSTROUTING",
                        "iptables: RULE_APPEND failed (Invalid argument)", 4))
            }
            parts.append("-j \(target)")
        default:
            return .failure(.notModelled("iptables target \(target)"))
        }
        return .success(parts.joined(separator: " "))
    }
}
