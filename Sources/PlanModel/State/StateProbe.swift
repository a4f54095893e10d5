/// One state dump to ask a node for after a block: a kind of state, in a namespace.
///
/// NodeAgentProtocol maps each probe to one agent `StateQuery` (`routes@ns`, `addresses@ns`, …).
public struct StateProbe: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable, Codable {
        /// `ip -j route show table all`.
        case routes
        /// `ip -j rule show`.
        case rules
        /// `ip -j address show`: interfaces and their addresses in one dump.
        case addresses
        /// `iptables-save`: every table.
        case iptables
        /// `iptables-save -t TABLE`: one table, for a block whose iptables commands all name that table.
        case iptablesTable(String)
        /// Kernel parameters by name.
        case sysctl([String])
        /// `ip -j netns list` (node-wide; namespace always nil).
        case namespaces
        /// `/etc/iproute2/rt_tables` (node-wide; namespace always nil).
        case rtTables
    }

    public var kind: Kind
    /// Nil for the default namespace and for node-wide kinds.
    public var namespace: NamespaceName?

    public init(_ kind: Kind, namespace: NamespaceName? = nil) {
        self.kind = kind
        self.namespace = namespace
    }

    public var description: String {
        let name: String
        switch kind {
        case .routes: name = "routes"
        case .rules: name = "rules"
        case .addresses: name = "addresses"
        case .iptables: name = "iptables"
        case .iptablesTable(let table): name = "iptables:" + table
        case .sysctl(let names): name = "sysctl:" + names.joined(separator: "+")
        case .namespaces: name = "namespaces"
        case .rtTables: name = "rtTables"
        }
        return namespace.map { "\(name)@\($0)" } ?? name
    }

    public static func < (lhs: StateProbe, rhs: StateProbe) -> Bool { lhs.description < rhs.description }

    /// The aspects of a namespace a probe shows.
    public var aspects: Set<StateAspect> {
        switch kind {
        case .routes: [.routes]
        case .rules: [.rules]
        case .addresses: [.links, .addresses]
        case .iptables, .iptablesTable: [.iptables]
        case .sysctl: [.sysctls]
        case .namespaces, .rtTables: []
        }
    }

    /// The fewest probes that cover what a block could touch: the namespaces its commands run in × the
    /// aspects they change (addresses and interface changes also change routes), plus `rt_tables` and the
    /// namespace list when it edits them (`rt_tables` also when routes or rules are read while the file is
    /// unknown). Parts the model already lost are included so the caller can adopt them from the node.
    /// Namespaces that no longer exist after the block are not probed, nor sysctls the model has no value for.
    public static func covering(_ block: NodeBlock, before: NodeState, after: NodeState) -> [StateProbe] {
        var wanted: [String: Set<StateAspect>] = [:]
        var sysctls: [String: Set<String>] = [:]
        var tables: [String: Set<String>] = [:]
        var node: Set<NodeAspect> = []
        var everything = false
        var interpreter = CommandInterpreter(state: before)
        for command in block.commands {
            let touched = CommandFootprint.of(command.text, namespace: block.netns?.rawValue, state: interpreter.state)
            for (key, aspects) in touched.aspects { wanted[key, default: []].formUnion(aspects) }
            for (key, names) in touched.sysctls { sysctls[key, default: []].formUnion(names) }
            for (key, names) in touched.iptablesTables { tables[key, default: []].formUnion(names) }
            node.formUnion(touched.node)
            everything = everything || touched.everything
            _ = interpreter.run(command.text, namespace: block.netns?.rawValue)
        }
        if everything {
            node = Set(NodeAspect.allCases)
            tables = [:]
            for key in after.namespaces.keys {
                wanted[key, default: []].formUnion([.links, .addresses, .routes, .rules, .iptables])
            }
        }
        // Parts already unknown are worth fetching back.
        for (key, namespace) in after.namespaces where !namespace.unknown.isEmpty {
            wanted[key, default: []].formUnion(namespace.unknown.subtracting([.sysctls]))
        }
        node.formUnion(after.unknown)
        var probes: [StateProbe] = []
        // Model keys are "" for the default namespace, else namespace names; a placeholder made for `ip -n NAME`
        // after the namespace list was lost may carry a name no request can take, and is not probed.
        for (key, aspects) in wanted.sorted(by: { $0.key < $1.key }) where after.namespaces[key] != nil {
            let name = NamespaceName(key)
            if name == nil && !key.isEmpty { continue }
            if aspects.contains(.routes) { probes.append(StateProbe(.routes, namespace: name)) }
            if aspects.contains(.rules) { probes.append(StateProbe(.rules, namespace: name)) }
            if !aspects.isDisjoint(with: [.links, .addresses]) {
                probes.append(StateProbe(.addresses, namespace: name))
            }
            if aspects.contains(.iptables) {
                let lost = after.namespaces[key]?.unknown.contains(.iptables) ?? true
                probes.append(StateProbe(lost ? .iptables : iptablesKind(tables[key]), namespace: name))
            }
        }
        for (key, names) in sysctls.sorted(by: { $0.key < $1.key }) {
            guard let namespace = after.namespaces[key] else { continue }
            let present = names.filter { namespace.sysctls[$0] != nil }.sorted()
            if !present.isEmpty, key.isEmpty || NamespaceName(key) != nil {
                probes.append(StateProbe(.sysctl(present), namespace: NamespaceName(key)))
            }
        }
        let readsTables = probes.contains { $0.kind == .routes || $0.kind == .rules }
        if node.contains(.rtTables) || (readsTables && before.unknown.contains(.rtTables)) {
            probes.append(StateProbe(.rtTables))
        }
        if node.contains(.namespaces) { probes.append(StateProbe(.namespaces)) }
        return probes
    }

    /// One table's dump when the block's iptables commands all name the same known table, else every table.
    static func iptablesKind(_ tables: Set<String>?) -> Kind {
        guard let tables, tables.count == 1, let table = tables.first, table != CommandFootprint.anyTable else {
            return .iptables
        }
        return .iptablesTable(table)
    }
}
