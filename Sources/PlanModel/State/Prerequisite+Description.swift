extension Prerequisite {
    /// What is missing, in words: `route 10.0.0.20/31 in table ntk_from_… of netns migr01`.
    public func describe(tables: RTTablesFile) -> String {
        func place(_ namespace: String?) -> String { namespace.map { "netns \($0)" } ?? "the default namespace" }
        func table(_ id: UInt32) -> String { PriorStateSynthesizer.tableWord(id, tables: tables) }
        switch self {
        case .namespace(let name): return "netns \(name)"
        case .tableName(let name): return "the table name \(name) in /etc/iproute2/rt_tables"
        case .route(let namespace, let route):
            return "route \(route.destination.length == 0 ? "default" : route.destination.description) "
                + "in table \(table(route.table)) of \(place(namespace))"
        case .kernelTable(let namespace, let id): return "table \(table(id)) in the kernel of \(place(namespace))"
        case .device(let namespace, let name): return "interface \(name) in \(place(namespace))"
        case .localAddress(let namespace, let address, let device):
            return "local address \(address)\(device.map { " on \($0)" } ?? "") in \(place(namespace))"
        case .gatewayRoute(let namespace, let gateway, let device):
            return
                "a link route to the gateway \(gateway)\(device.map { " through \($0)" } ?? "") in \(place(namespace))"
        case .address(let namespace, let address, let device):
            return "address \(address) on \(device) in \(place(namespace))"
        case .rule(let namespace, let rule, _):
            let selectors = rule.describe(tables: tables).drop { $0 != ":" }.dropFirst(2)
            return "rule '\(selectors)' in \(place(namespace))"
        case .iptablesRule(let namespace, let table, let chain, let rule):
            return "iptables \(table) rule '-A \(chain) \(rule)' in \(place(namespace))"
        }
    }

    /// The namespace the missing state would live in (nil: the default one, or node-wide).
    var namespace: String? {
        switch self {
        case .namespace, .tableName: return nil
        case .route(let namespace, _), .kernelTable(let namespace, _), .device(let namespace, _),
            .localAddress(let namespace, _, _), .gatewayRoute(let namespace, _, _), .address(let namespace, _, _),
            .rule(let namespace, _, _), .iptablesRule(let namespace, _, _, _):
            return namespace
        }
    }
}
