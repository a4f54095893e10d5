public import PlanModel

/// Turns the agent's state dumps (`RunResult.stateOutputs`) into a `NodeState` holding what was found.
///
/// Namespaces appear in the result only when some dump was taken in them; aspects that were not dumped are
/// marked unknown, so a comparison or an adoption never mistakes "not asked" for "empty".
public enum ObservedState {
    /// Parses every output; `rtTables` names tables when the outputs do not include the file itself.
    /// - Throws: `StateParsingError` naming the first query whose output is unreadable or that failed.
    public static func parse(
        _ outputs: [NodeResponse.StateOutput], node: NodeName, rtTables fallback: RTTablesFile = .debianDefault
    ) throws(StateParsingError) -> NodeState {
        var state = NodeState(node: node, rtTables: fallback, namespaces: [:], unknown: Set(NodeAspect.allCases))
        // rt_tables first: table names in route and rule dumps are resolved through it.
        for output in outputs where output.query.kind == .rtTables {
            try checkStatus(output)
            state.rtTables = RTTablesFile(text: output.text)
            state.unknown.remove(.rtTables)
        }
        for output in outputs {
            let query = output.query
            if query.kind == .rtTables { continue }
            try checkStatus(output)
            if query.kind == .namespaces {
                for name in try NamespaceListParser.parse(output.text, query: query.description)
                where state.namespaces[name] == nil {
                    state.namespaces[name] = NamespaceState(
                        name: name, links: [], rules: [], unknown: Set(StateAspect.allCases))
                }
                state.unknown.remove(.namespaces)
                continue
            }
            let key = query.netns?.rawValue ?? ""
            var namespace =
                state.namespaces[key]
                ?? NamespaceState(name: query.netns?.rawValue, links: [], rules: [], unknown: Set(StateAspect.allCases))
            switch query.kind {
            case .routes:
                namespace.routes = try RouteDumpParser.parse(
                    output.text, tables: state.rtTables, query: query.description)
                namespace.tablesKnown = false
                namespace.unknown.remove(.routes)
            case .rules:
                namespace.rules = try RuleDumpParser.parse(
                    output.text, tables: state.rtTables, query: query.description)
                namespace.unknown.remove(.rules)
            case .addresses, .links:
                namespace.links = try LinkDumpParser.parse(output.text, query: query.description)
                namespace.unknown.subtract([.links, .addresses])
            case .iptables:
                namespace.iptables = try IptablesSaveParser.parse(output.text, query: query.description)
                namespace.unknown.remove(.iptables)
            case .iptablesTable(let table):
                // Only this table was dumped: the probe that asked for it compares and adopts it alone.
                let dumped = try IptablesSaveParser.parse(output.text, query: query.description)
                namespace.iptables.tables[table] = dumped.tables[table] ?? [:]
                namespace.unknown.remove(.iptables)
            case .sysctl:
                namespace.sysctls.merge(try SysctlOutputParser.parse(output.text, query: query.description)) { $1 }
                namespace.unknown.remove(.sysctls)
            case .namespaces, .rtTables:
                break
            }
            state.namespaces[key] = namespace
        }
        var ids = 1
        for key in state.namespaces.keys {
            for index in state.namespaces[key]?.links.indices ?? 0..<0 {
                state.namespaces[key]?.links[index].id = ids
                ids += 1
            }
        }
        state.nextLinkID = ids
        return state
    }

    static func checkStatus(_ output: NodeResponse.StateOutput) throws(StateParsingError) {
        guard output.exitStatus == 0 else {
            let detail =
                String(decoding: output.stderr, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw StateParsingError(
                query: output.query.description,
                message: "exited with status \(output.exitStatus)\(detail.isEmpty ? "" : ": \(detail)")")
        }
    }
}
