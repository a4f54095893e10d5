extension StateChange {
    /// What differs from `before` to `after` of one node, namespace by namespace (namespaces in creation
    /// order, removals before additions within each part). Parts either side marks unknown are not compared;
    /// one that becomes unknown is listed once as such.
    public static func between(_ before: NodeState, _ after: NodeState) -> [StateChange] {
        var changes: [StateChange] = []
        for name in before.namedNamespaces where after.namespace(name) == nil {
            changes.append(StateChange(.removed, .namespace, namespace: nil, text: name))
        }
        for name in after.namedNamespaces where before.namespace(name) == nil {
            changes.append(StateChange(.added, .namespace, namespace: nil, text: name))
        }
        for aspect in NodeAspect.allCases where after.unknown.contains(aspect) && !before.unknown.contains(aspect) {
            changes.append(StateChange(.added, .unknown, namespace: nil, text: aspect.rawValue))
        }
        if !before.unknown.contains(.rtTables) && !after.unknown.contains(.rtTables) {
            changes += lines(before.rtTables.lines, after.rtTables.lines) { direction, line in
                StateChange(direction, .rtTables, namespace: nil, text: line)
            }
        }
        var keys = Array(before.namespaces.keys)
        keys += after.namespaces.keys.filter { !keys.contains($0) }
        // A namespace that went is one line (its contents went with it); a new one lists what it holds
        // beyond what every new namespace has (its default rules).
        for key in keys {
            guard let new = after.namespaces[key] else { continue }
            let old = before.namespaces[key] ?? NamespaceState(name: new.name)
            changes += namespaceChanges(old, new, tables: after.rtTables)
        }
        return changes
    }

    private static func namespaceChanges(_ old: NamespaceState, _ new: NamespaceState, tables: RTTablesFile)
        -> [StateChange]
    {
        let namespace = new.name ?? old.name
        var changes: [StateChange] = []
        for aspect in StateAspect.allCases where new.unknown.contains(aspect) && !old.unknown.contains(aspect) {
            changes.append(StateChange(.added, .unknown, namespace: namespace, text: aspect.rawValue))
        }
        let skip = old.unknown.union(new.unknown)
        if !skip.contains(.links) {
            changes += lines(old.links.map(describe), new.links.map(describe)) { direction, text in
                StateChange(direction, .link, namespace: namespace, text: text)
            }
        }
        if skip.isDisjoint(with: [.links, .addresses]) { changes += addressChanges(old, new) }
        if !skip.contains(.routes) {
            let oldRoutes = Set(old.routes)
            let newRoutes = Set(new.routes)
            for (direction, routes) in [(Direction.removed, old.routes), (.added, new.routes)] {
                let other = direction == .removed ? newRoutes : oldRoutes
                for route in routes where !other.contains(route) {
                    changes.append(
                        StateChange(
                            direction, .route, namespace: namespace, table: tableName(route.table, tables),
                            text: route.description, route: route))
                }
            }
        }
        if !skip.contains(.rules) {
            changes += lines(
                old.rules.map { $0.describe(tables: tables) }, new.rules.map { $0.describe(tables: tables) }
            ) { direction, text in
                StateChange(direction, .rule, namespace: namespace, text: text)
            }
        }
        if !skip.contains(.iptables) { changes += iptablesChanges(old.iptables, new.iptables, namespace: namespace) }
        if !skip.contains(.sysctls) {
            let oldLines = old.sysctls.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
            let newLines = new.sysctls.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
            changes += lines(oldLines, newLines) { direction, text in
                StateChange(direction, .sysctl, namespace: namespace, text: text)
            }
        }
        return changes
    }

    private static func addressChanges(_ old: NamespaceState, _ new: NamespaceState) -> [StateChange] {
        var changes: [StateChange] = []
        let namespace = new.name ?? old.name
        let oldPairs = old.links.flatMap { link in link.addresses.map { (link.name, $0) } }
        let newPairs = new.links.flatMap { link in link.addresses.map { (link.name, $0) } }
        let oldSet = Set(oldPairs.map { "\($0.0) \($0.1)" })
        let newSet = Set(newPairs.map { "\($0.0) \($0.1)" })
        for (device, address) in oldPairs where !newSet.contains("\(device) \(address)") {
            changes.append(
                StateChange(
                    .removed, .address, namespace: namespace, table: device, text: "\(address)", address: address))
        }
        for (device, address) in newPairs where !oldSet.contains("\(device) \(address)") {
            changes.append(
                StateChange(.added, .address, namespace: namespace, table: device, text: "\(address)", address: address)
            )
        }
        return changes
    }

    private static func iptablesChanges(_ old: IptablesState, _ new: IptablesState, namespace: String?)
        -> [StateChange]
    {
        var changes: [StateChange] = []
        let places = Set(old.tables.flatMap { table in table.value.keys.map { [table.key, $0] } })
            .union(new.tables.flatMap { table in table.value.keys.map { [table.key, $0] } })
        for place in places.sorted(by: { $0.joined() < $1.joined() }) {
            let (table, chain) = (place[0], place[1])
            changes += lines(old.rules(table: table, chain: chain), new.rules(table: table, chain: chain)) {
                direction, rule in
                StateChange(
                    direction, .iptables, namespace: namespace, table: "\(table) \(chain)", text: "-A \(chain) \(rule)")
            }
        }
        return changes
    }

    /// Lines gone from `old` and lines new in `new`, as multisets (a rule added twice is two lines).
    private static func lines(_ old: [String], _ new: [String], make: (Direction, String) -> StateChange)
        -> [StateChange]
    {
        var remaining = Dictionary(new.map { ($0, 1) }, uniquingKeysWith: +)
        var removed: [String] = []
        for line in old {
            if let count = remaining[line], count > 0 { remaining[line] = count - 1 } else { removed.append(line) }
        }
        var unmatched = Dictionary(old.map { ($0, 1) }, uniquingKeysWith: +)
        var added: [String] = []
        for line in new {
            if let count = unmatched[line], count > 0 { unmatched[line] = count - 1 } else { added.append(line) }
        }
        return removed.map { make(.removed, $0) } + added.map { make(.added, $0) }
    }

    /// `eth1 ethernet 00:16:3e:ec:a3:e1 up`; a macvlan's MAC the kernel chose is not known.
    private static func describe(_ link: Link) -> String {
        var text = "\(link.name) \(link.kindName)"
        if let mac = link.mac, !link.isLoopback { text += " \(mac)" }
        return text + (link.isUp ? " up" : " down")
    }

    private static func tableName(_ table: UInt32, _ tables: RTTablesFile) -> String {
        switch table {
        case RouteTable.main: "main"
        case RouteTable.local: "local"
        case RouteTable.defaultTable: "default"
        default: tables.name(ofTable: table) ?? "\(table)"
        }
    }
}
