/// `ip rule add|del|flush` as iproute2 6.1 sends them and the kernel handles them: `add` without `table`
/// looks up main; without `pref` the kernel allocates the priority (`NamespaceState.defaultRulePriority`); an
/// identical rule with the same priority is refused; `del` removes the first rule matching every attribute
/// given; `flush` removes every rule whose priority is not 0.
extension CommandInterpreter {
    /// The rule actions `ip rule … type ACTION` may name that the model knows.
    static let ruleTypes: Set<String> = ["blackhole", "unreachable", "prohibit", "nop"]

    mutating func runRule(_ words: [String], key: String) -> CommandOutcome {
        guard let verb = words.first else { return .success }
        let scope = UnknownScope.aspects([.rules], namespace: name(key))
        let isAdd = Self.matches(verb, "add")
        let isDelete = Self.matches(verb, "delete")
        if Self.matches(verb, "list") || Self.matches(verb, "show") || Self.matches(verb, "lst") { return .success }
        if Self.matches(verb, "flush") {
            guard words.count == 1 else { return notModelled("ip rule flush with selectors", scope: scope) }
            state.namespaces[key]?.rules.removeAll { $0.priority != 0 }
            return .success
        }
        guard isAdd || isDelete else { return notModelled("ip rule \(verb)", scope: scope) }
        var priority: UInt32?
        var source: IPPrefix?
        var destination: IPPrefix?
        var fwmark: UInt32?
        var fwmask: UInt32?
        var input: String?
        var output: String?
        var inverted = false
        var table: UInt32?
        var action: PolicyRule.Action?
        var index = 1
        func next() -> String? {
            index += 1
            return index < words.count ? words[index] : nil
        }
        while index < words.count {
            let word = words[index]
            switch word {
            case "from", "to":
                guard let value = next() else { return notModelled("ip rule \(word)", scope: scope) }
                var prefix: IPPrefix?
                if value != "all" {
                    guard let parsed = IPPrefix(value), parsed.address.isV4 else {
                        return notModelled("ip rule \(word) \(value)", scope: scope)
                    }
                    prefix = parsed
                }
                if word == "from" { source = prefix } else { destination = prefix }
            case "fwmark":
                guard let value = next() else { return notModelled("fwmark", scope: scope) }
                // Empty parts kept: `''` and `/5` have an empty mark, which ip refuses (and names).
                let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard let mark = RTTablesFile.parseNumber(parts[0]) else {
                    return failure(
                        "bad fwmark \(value)", "Error: argument \"\(parts[0])\" is wrong: fwmark value is invalid",
                        status: 255)
                }
                fwmark = mark
                if parts.count == 2 {
                    guard let mask = RTTablesFile.parseNumber(parts[1]) else {
                        return notModelled("fwmark mask", scope: scope)
                    }
                    fwmask = mask
                } else if mark != 0 {
                    fwmask = 0xFFFF_FFFF
                }
            case "iif", "dev":
                input = next()
            case "oif":
                output = next()
            case "not":
                inverted = true
            case "pref", "priority", "order", "preference", "prio":
                guard let value = next(), let number = RTTablesFile.parseNumber(value) else {
                    return failure("bad priority", "Error: argument is wrong: preference value is invalid", status: 255)
                }
                priority = number
            case "table", "lookup", "tab", "tabl":
                guard let value = next() else { return notModelled("table", scope: scope) }
                if state.unknown.contains(.rtTables) && RTTablesFile.parseNumber(value) == nil {
                    state.namespaces[key]?.unknown.insert(.rules)
                    return .success
                }
                guard let id = resolveTable(value) else {
                    return failure(
                        "table \(value) is not in /etc/iproute2/rt_tables",
                        "Error: argument \"\(value)\" is wrong: invalid table ID", status: 255,
                        missing: .tableName(value))
                }
                table = id
                action = .lookup(table: id)
            case "blackhole": action = .blackhole
            case "unreachable": action = .unreachable
            case "prohibit": action = .prohibit
            case "nop": action = .nop
            case "type":
                // `type ACTION` means ACTION, the next word (read on the next turn); `ruleTypes` lists those modelled.
                guard index + 1 < words.count else {
                    return failure(
                        "ip rule type without a value", "Command line is not complete. Try option \"help\"",
                        status: 255)
                }
                guard Self.ruleTypes.contains(words[index + 1]) else {
                    return notModelled("ip rule type \(words[index + 1])", scope: scope)
                }
            default:
                return notModelled("ip rule option '\(word)'", scope: scope)
            }
            index += 1
        }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.unknown.contains(.rules) { return .success }
        if isAdd {
            let rule = PolicyRule(
                priority: priority ?? namespace.defaultRulePriority, source: source, destination: destination,
                fwmark: fwmark, fwmask: fwmask, inputInterface: input, outputInterface: output, isInverted: inverted,
                action: action ?? .lookup(table: RouteTable.main))
            if namespace.rules.contains(rule) {
                return failure(
                    "rule '\(rule.describe(tables: state.rtTables))' already exists in \(label(key))",
                    "RTNETLINK answers: File exists")
            }
            state.namespaces[key]?.insertRule(rule)
            return .success
        }
        let found = namespace.rules.firstIndex { rule in
            if let action, rule.action != action { return false }
            if let table, rule.table != table { return false }
            if let priority, rule.priority != priority { return false }
            if let input, rule.inputInterface != input { return false }
            if let output, rule.outputInterface != output { return false }
            if let fwmark, fwmark != 0, rule.fwmark != fwmark { return false }
            if let fwmask, fwmask != 0xFFFF_FFFF, rule.fwmask != fwmask { return false }
            if let source, rule.source != source.network { return false }
            if let destination, rule.destination != destination.network { return false }
            return true
        }
        guard let found else {
            let wanted = PolicyRule(
                priority: priority ?? 0, source: source, destination: destination, fwmark: fwmark, fwmask: fwmask,
                inputInterface: input, outputInterface: output, isInverted: inverted,
                action: action ?? .lookup(table: RouteTable.main))
            let text = wanted.describe(tables: state.rtTables).drop { $0 != ":" }.dropFirst(2)
            return failure(
                "no rule '\(text)' in \(label(key))", "RTNETLINK answers: No such file or directory",
                missing: .rule(namespace: name(key), rule: wanted, hasPriority: priority != nil))
        }
        state.namespaces[key]?.rules.remove(at: found)
        return .success
    }
}
