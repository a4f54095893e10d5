public import PlanModel

extension StateProbe {
    /// The agent query that fetches this probe.
    public var query: NodeRequest.StateQuery {
        switch kind {
        case .routes: NodeRequest.StateQuery(.routes, netns: namespace)
        case .rules: NodeRequest.StateQuery(.rules, netns: namespace)
        case .addresses: NodeRequest.StateQuery(.addresses, netns: namespace)
        case .iptables: NodeRequest.StateQuery(.iptables, netns: namespace)
        case .iptablesTable(let table): NodeRequest.StateQuery(.iptablesTable(table), netns: namespace)
        case .sysctl(let names): NodeRequest.StateQuery(.sysctl(names: names), netns: namespace)
        case .namespaces: NodeRequest.StateQuery(.namespaces)
        case .rtTables: NodeRequest.StateQuery(.rtTables)
        }
    }

    /// The queries for a list of probes, in order.
    public static func queries(_ probes: [StateProbe]) -> [NodeRequest.StateQuery] { probes.map(\.query) }

    /// Everything of every namespace: what to ask at connect time (after learning the namespace list) to
    /// start the model from the node's real state with `StateModel.from(observed:)`.
    public static func fullDump(namespaces: [NamespaceName], sysctls: [String] = []) -> [StateProbe] {
        var probes = [StateProbe(.namespaces), StateProbe(.rtTables)]
        for name in [nil] + namespaces.map(Optional.some) {
            probes += [
                StateProbe(.routes, namespace: name), StateProbe(.rules, namespace: name),
                StateProbe(.addresses, namespace: name), StateProbe(.iptables, namespace: name),
            ]
            if !sysctls.isEmpty { probes.append(StateProbe(.sysctl(sysctls), namespace: name)) }
        }
        return probes
    }
}
