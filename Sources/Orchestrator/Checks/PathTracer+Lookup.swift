import PlanModel

extension PathTracer {
    enum Lookup {
        case found(Route, tableName: String)
        case dropped(String)
    }

    /// Policy rules by priority, then the longest match in each table they name.
    func route(_ namespace: NamespaceState, node: NodeName, hop: Hop, destination: IPAddress) -> Lookup {
        let tables = states[node]?.rtTables ?? .debianDefault
        let rules = namespace.rules.sorted { $0.priority < $1.priority }
        let effective =
            rules.isEmpty
            ? [
                PolicyRule(priority: 0, action: .lookup(table: RouteTable.local)),
                PolicyRule(priority: 32766, action: .lookup(table: RouteTable.main)),
            ] : rules
        for rule in effective where matches(rule, hop: hop, destination: destination) {
            let origin = provenance(node, hop.netns, .rule(rule)).map { " (\($0.fileAndLine))" } ?? ""
            switch rule.action {
            case .lookup(let table):
                let name = Self.tableName(table, tables)
                let candidates = namespace.routes.filter { $0.table == table && $0.destination.contains(destination) }
                guard
                    let best = candidates.max(by: {
                        ($0.destination.length, -Int($0.metric)) < ($1.destination.length, -Int($1.metric))
                    })
                else { continue }
                switch best.kind {
                case .throw:
                    continue
                case .unreachable, .blackhole, .prohibit:
                    let made = provenance(node, hop.netns, .route(best)).map { " (\($0.fileAndLine))" } ?? ""
                    let via = rule.fwmark != nil ? " (rule \(rule.priority)\(origin))" : ""
                    // After ` → beta:` alone the table follows; after ` → beta: mark 250` an arrow leads to it.
                    let lead = hop.incoming == nil ? "\(node) " : hop.mark != 0 ? "→ " : ""
                    return .dropped("\(lead)table \(name)\(via) says \(best.kind.rawValue) \(best.destination)\(made)")
                default:
                    return .found(best, tableName: name)
                }
            case .blackhole, .unreachable, .prohibit:
                return .dropped("→ \(node): rule \(rule.describe(tables: tables))\(origin) drops it")
            case .nop, .goto:
                continue
            }
        }
        return .dropped("→ \(node): no route to \(destination) in any table its rules look up")
    }

    func matches(_ rule: PolicyRule, hop: Hop, destination: IPAddress) -> Bool {
        var matched = true
        if let from = rule.source, let source = hop.source, !from.contains(source) { matched = false }
        if let from = rule.source, hop.source == nil, from.length > 0 { matched = false }
        if let to = rule.destination, !to.contains(destination) { matched = false }
        if let mark = rule.fwmark, hop.mark & (rule.fwmask ?? 0xFFFF_FFFF) != mark { matched = false }
        if let input = rule.inputInterface, input != (hop.incoming ?? "lo") { matched = false }
        return rule.isInverted ? !matched : matched
    }

    /// The last mangle MARK rule of `chain` that matches (`-d`, `-s`, `-i`, `-m mac --mac-source`).
    func markRule(_ namespace: NamespaceState, chain: String, hop: Hop, destination: IPAddress, mac: MACAddress?)
        -> (UInt32, String)?
    {
        var found: (UInt32, String)?
        for rule in namespace.iptables.rules(table: "mangle", chain: chain) {
            let words = rule.split(separator: " ").map(String.init)
            guard let target = words.firstIndex(of: "MARK"), target + 2 < words.count,
                ["--set-xmark", "--set-mark"].contains(words[target + 1])
            else { continue }
            let value = words[target + 2].split(separator: "/").first.map(String.init) ?? ""
            guard let mark = value.hasPrefix("0x") ? UInt32(value.dropFirst(2), radix: 16) : UInt32(value) else {
                continue
            }
            if option(words, "-d").map({
                IPPrefix($0)?.contains(destination) ?? IPAddress($0).map { $0 == destination } ?? false
            }) == false {
                continue
            }
            if let source = option(words, "-s"), let from = hop.source,
                !(IPPrefix(source)?.contains(from) ?? (IPAddress(source) == from))
            {
                continue
            }
            if let input = option(words, "-i"), input != hop.incoming { continue }
            if let wanted = option(words, "--mac-source"), wanted.uppercased() != mac?.description.uppercased() {
                continue
            }
            found = (mark, rule)
        }
        return found
    }

    /// A nat POSTROUTING SNAT (`--to-source A`) or NETMAP (`--to P`) rule for `device`, and the new source.
    func sourceNAT(_ namespace: NamespaceState, device: String?, source: IPAddress?) -> (IPAddress, String)? {
        for rule in namespace.iptables.rules(table: "nat", chain: "POSTROUTING") {
            let words = rule.split(separator: " ").map(String.init)
            if let output = option(words, "-o"), output != device { continue }
            if let from = option(words, "-s"), let source, !(IPPrefix(from)?.contains(source) ?? false) { continue }
            if let to = option(words, "--to-source").flatMap({ IPAddress($0.split(separator: ":").first ?? "") }) {
                return (to, rule)
            }
            if words.contains("NETMAP"), let to = option(words, "--to").flatMap({ IPPrefix($0) }), let source,
                let mapped = Self.netmap(source, into: to)
            {
                return (mapped, rule)
            }
        }
        return nil
    }

    static func netmap(_ address: IPAddress, into prefix: IPPrefix) -> IPAddress? {
        guard case .v4(let value) = address, case .v4(let base) = prefix.address, prefix.length <= 32 else {
            return nil
        }
        let mask: UInt32 = prefix.length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(prefix.length))
        return .v4((base & mask) | (value & ~mask))
    }

    /// `main`, `local`, the rt_tables name, else the number.
    static func tableName(_ table: UInt32, _ tables: RTTablesFile) -> String {
        switch table {
        case RouteTable.main: "main"
        case RouteTable.local: "local"
        default: tables.name(ofTable: table) ?? "\(table)"
        }
    }

    func option(_ words: [String], _ name: String) -> String? {
        guard let index = words.firstIndex(of: name), index + 1 < words.count else { return nil }
        return words[index + 1]
    }
}
