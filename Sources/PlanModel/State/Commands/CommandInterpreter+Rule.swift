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
        if Self.matches(verb, "list") || Self.matches(verb, "show") || Self.matches(verb, "lst") { return .success }
        if Self.matches(verb, "flush") { return flushRules(words, key: key, scope: scope) }
        let isAdd = Self.matches(verb, "add")
        guard isAdd || Self.matches(verb, "delete") else { return notModelled("ip rule \(verb)", scope: scope) }
        let arguments: RuleArguments
        do {
            arguments = try readRuleArguments(words, scope: scope)
        } catch {
            switch error {
            case .outcome(let outcome):
                return outcome
            case .tableNameWithUnknownRTTables:
                state.namespaces[key]?.unknown.insert(.rules)
                return .success
            }
        }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.unknown.contains(.rules) { return .success }
        if isAdd { return addRule(arguments, to: namespace, key: key) }
        return deleteRule(arguments, from: namespace, key: key)
    }

    /// `ip rule flush` (without selectors): every rule but those of priority 0 goes.
    mutating func flushRules(_ words: [String], key: String, scope: UnknownScope) -> CommandOutcome {
        guard words.count == 1 else { return notModelled("ip rule flush with selectors", scope: scope) }
        state.namespaces[key]?.rules.removeAll { $0.priority != 0 }
        return .success
    }

    mutating func addRule(_ arguments: RuleArguments, to namespace: NamespaceState, key: String) -> CommandOutcome {
        let rule = arguments.rule(priority: arguments.priority ?? namespace.defaultRulePriority)
        if namespace.rules.contains(rule) {
            return failure(
                "rule '\(rule.describe(tables: state.rtTables))' already exists in \(label(key))",
                "RTNETLINK answers: File exists")
        }
        state.namespaces[key]?.insertRule(rule)
        return .success
    }

    mutating func deleteRule(_ arguments: RuleArguments, from namespace: NamespaceState, key: String)
        -> CommandOutcome
    {
        guard let found = namespace.rules.firstIndex(where: arguments.selects) else {
            let wanted = arguments.rule(priority: arguments.priority ?? 0)
            // The rule's text without its priority, which a `del` usually does not give.
            let text = wanted.describe(tables: state.rtTables).drop { $0 != ":" }.dropFirst(2)
            return failure(
                "no rule '\(text)' in \(label(key))", "RTNETLINK answers: No such file or directory",
                missing: .rule(namespace: name(key), rule: wanted, hasPriority: arguments.priority != nil))
        }
        state.namespaces[key]?.rules.remove(at: found)
        return .success
    }
}
