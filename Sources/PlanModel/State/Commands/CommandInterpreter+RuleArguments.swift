/// The words of `ip rule add|del` read into `RuleArguments`, left to right as iproute2 reads them: the first
/// word ip refuses stops the reading with ip's message, so of two bad words the earlier one is reported.
extension CommandInterpreter {
    /// The selectors and action one `ip rule add|del` gives; nil where the command gives none.
    struct RuleArguments {
        var priority: UInt32?
        var source: IPPrefix?
        var destination: IPPrefix?
        var fwmark: UInt32?
        var fwmask: UInt32?
        var inputInterface: String?
        var outputInterface: String?
        var isInverted = false
        var table: UInt32?
        var action: PolicyRule.Action?

        /// The rule these arguments describe, with this priority; without an action it looks up main.
        func rule(priority: UInt32) -> PolicyRule {
            PolicyRule(
                priority: priority, source: source, destination: destination, fwmark: fwmark, fwmask: fwmask,
                inputInterface: inputInterface, outputInterface: outputInterface, isInverted: isInverted,
                action: action ?? .lookup(table: RouteTable.main))
        }

        /// Whether `ip rule del` with these arguments removes `rule` (`fib_rules`' `rule_find`): every
        /// attribute given is equal, except that a zero mark, a zero mask and `not` are not compared. A non-zero
        /// mark without a mask compares the full mask.
        func selects(_ rule: PolicyRule) -> Bool {
            if let action, rule.action != action { return false }
            if let table, rule.table != table { return false }
            if let priority, rule.priority != priority { return false }
            if let inputInterface, rule.inputInterface != inputInterface { return false }
            if let outputInterface, rule.outputInterface != outputInterface { return false }
            if let fwmark, fwmark != 0, rule.fwmark != fwmark { return false }
            if let fwmask, fwmask != 0, rule.kernelMask != fwmask { return false }
            if let source, rule.source != source.network { return false }
            if let destination, rule.destination != destination.network { return false }
            return true
        }
    }

    /// Why reading an `ip rule` command line stopped before its end.
    enum RuleReadingStop: Error {
        /// What the command does instead: ip's failure, or not modelled.
        case outcome(CommandOutcome)
        /// A table name while `rt_tables` is unknown: whether ip accepts it, and the rule it makes, cannot
        /// be known.
        case tableNameWithUnknownRTTables
    }

    /// Reads the words after the verb (`words[0]`).
    func readRuleArguments(_ words: [String], scope: UnknownScope) throws(RuleReadingStop) -> RuleArguments {
        var arguments = RuleArguments()
        var cursor = WordCursor(words, at: 1)
        while let word = cursor.current {
            try readRuleOption(word, from: &cursor, into: &arguments, scope: scope)
            cursor.advance()
        }
        return arguments
    }

    /// Reads one option (and its value, leaving the cursor on it).
    func readRuleOption(
        _ word: String, from cursor: inout WordCursor, into arguments: inout RuleArguments, scope: UnknownScope
    ) throws(RuleReadingStop) {
        switch word {
        case "from", "to":
            let prefix = try readRulePrefix(word, cursor.next(), scope: scope)
            if word == "from" { arguments.source = prefix } else { arguments.destination = prefix }
        case "fwmark":
            try readFwmark(cursor.next(), into: &arguments, scope: scope)
        case "iif", "dev":
            arguments.inputInterface = cursor.next()
        case "oif":
            arguments.outputInterface = cursor.next()
        case "not":
            arguments.isInverted = true
        case "pref", "priority", "order", "preference", "prio":
            arguments.priority = try readRulePriority(cursor.next())
        case "table", "lookup", "tab", "tabl":
            let table = try readRuleTable(cursor.next(), scope: scope)
            arguments.table = table
            arguments.action = .lookup(table: table)
        case "blackhole": arguments.action = .blackhole
        case "unreachable": arguments.action = .unreachable
        case "prohibit": arguments.action = .prohibit
        case "nop": arguments.action = .nop
        case "type":
            // `type ACTION` means ACTION, the next word (read on the next turn); `ruleTypes` lists those modelled.
            try checkRuleType(cursor.following, scope: scope)
        default:
            throw .outcome(notModelled("ip rule option '\(word)'", scope: scope))
        }
    }

    /// `from|to PREFIX|all`: nil for `all`.
    func readRulePrefix(_ word: String, _ value: String?, scope: UnknownScope) throws(RuleReadingStop) -> IPPrefix? {
        guard let value else { throw .outcome(notModelled("ip rule \(word)", scope: scope)) }
        if value == "all" { return nil }
        guard let prefix = IPPrefix(value), prefix.address.isV4 else {
            throw .outcome(notModelled("ip rule \(word) \(value)", scope: scope))
        }
        return prefix
    }

    /// `fwmark MARK[/MASK]`: without a mask a non-zero mark compares every bit (a zero one leaves the mask).
    func readFwmark(_ value: String?, into arguments: inout RuleArguments, scope: UnknownScope)
        throws(RuleReadingStop)
    {
        guard let value else { throw .outcome(notModelled("fwmark", scope: scope)) }
        // Empty parts kept: `''` and `/5` have an empty mark, which ip refuses (and names).
        let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let mark = RTTablesFile.parseNumber(parts[0]) else {
            throw .outcome(
                failure(
                    "bad fwmark \(value)", "Error: argument \"\(parts[0])\" is wrong: fwmark value is invalid",
                    status: 255))
        }
        arguments.fwmark = mark
        if parts.count == 2 {
            guard let mask = RTTablesFile.parseNumber(parts[1]) else {
                throw .outcome(notModelled("fwmark mask", scope: scope))
            }
            arguments.fwmask = mask
        } else if mark != 0 {
            arguments.fwmask = 0xFFFF_FFFF
        }
    }

    /// `pref|priority|… NUMBER`.
    func readRulePriority(_ value: String?) throws(RuleReadingStop) -> UInt32 {
        guard let value, let number = RTTablesFile.parseNumber(value) else {
            throw .outcome(
                failure("bad priority", "Error: argument is wrong: preference value is invalid", status: 255))
        }
        return number
    }

    /// `table|lookup|… NAME|NUMBER`, resolved through rt_tables as ip resolves it.
    func readRuleTable(_ value: String?, scope: UnknownScope) throws(RuleReadingStop) -> UInt32 {
        guard let value else { throw .outcome(notModelled("table", scope: scope)) }
        if state.unknown.contains(.rtTables) && RTTablesFile.parseNumber(value) == nil {
            throw .tableNameWithUnknownRTTables
        }
        guard let id = resolveTable(value) else {
            throw .outcome(
                failure(
                    "table \(value) is not in /etc/iproute2/rt_tables",
                    "Error: argument \"\(value)\" is wrong: invalid table ID", status: 255, missing: .tableName(value)))
        }
        return id
    }

    /// `type ACTION`: ACTION must follow, and be one the model knows.
    func checkRuleType(_ action: String?, scope: UnknownScope) throws(RuleReadingStop) {
        guard let action else {
            throw .outcome(
                failure(
                    "ip rule type without a value", "Command line is not complete. Try option \"help\"", status: 255))
        }
        guard Self.ruleTypes.contains(action) else {
            throw .outcome(notModelled("ip rule type \(action)", scope: scope))
        }
    }
}

extension PolicyRule {
    /// The mark mask as the kernel keeps it: 0xffffffff for a mark without a mask, 0 without a mark.
    var kernelMask: UInt32 { fwmask ?? (fwmark != nil ? 0xFFFF_FFFF : 0) }
}
