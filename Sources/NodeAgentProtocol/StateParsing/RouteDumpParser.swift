public import PlanModel

/// Reads `ip -j route show table all`: IPv4 routes only (IPv6 ones, recognised by their `pref` key or an
/// IPv6 address, are left out), table names resolved through `rt_tables` the way `ip` printed them.
public enum RouteDumpParser {
    struct Entry: Decodable {
        var type: String?
        var dst: String
        var gateway: String?
        var dev: String?
        var table: String?
        var `protocol`: String?
        var scope: String?
        var metric: UInt32?
        var prefsrc: String?
        var pref: String?
    }

    /// - Throws: `StateParsingError` for output that is not `ip -j route` JSON or names an unknown table.
    public static func parse(_ text: String, tables: RTTablesFile, query: String = "routes") throws(StateParsingError)
        -> [Route]
    {
        var routes: [Route] = []
        for entry in try JSONDump.decode(Entry.self, from: text, query: query) {
            if entry.pref != nil || entry.dst.contains(":") || (entry.gateway?.contains(":") ?? false) { continue }
            let destination: IPPrefix?
            if entry.dst == "default" { destination = IPPrefix("0.0.0.0/0") } else { destination = IPPrefix(entry.dst) }
            guard let destination else {
                throw StateParsingError(query: query, message: "route destination '\(entry.dst)'")
            }
            guard let kind = RouteKind(rawValue: entry.type ?? "unicast") else {
                throw StateParsingError(query: query, message: "route type '\(entry.type ?? "")'")
            }
            let table: UInt32
            if let name = entry.table {
                guard let id = tableID(printed: name, tables: tables) else {
                    throw StateParsingError(
                        query: query, message: "table '\(name)' is neither a number nor in rt_tables")
                }
                table = id
            } else {
                table = RouteTable.main
            }
            routes.append(
                Route(
                    table: table, kind: kind, destination: destination,
                    gateway: entry.gateway.flatMap { IPAddress($0) },
                    device: entry.dev, preferredSource: entry.prefsrc.flatMap { IPAddress($0) },
                    scope: entry.scope.flatMap { RouteScope(name: $0) } ?? .universe,
                    routingProtocol: entry.protocol.flatMap { RouteProtocol(name: $0) } ?? .boot,
                    metric: entry.metric ?? 0))
        }
        return routes
    }

    /// The table number behind a name `ip` printed (`rtnl_rttable_n2a` in reverse).
    static func tableID(printed name: String, tables: RTTablesFile) -> UInt32? {
        switch name {
        case "main": return RouteTable.main
        case "local": return RouteTable.local
        case "default": return RouteTable.defaultTable
        default: break
        }
        if let entry = tables.entries.reversed().first(where: { $0.name == name && tables.name(ofTable: $0.id) == name }
        ) {
            return entry.id
        }
        return UInt32(name) ?? tables.tableID(named: name)
    }
}

/// Reads `ip -j rule show` (IPv4 rules).
public enum RuleDumpParser {
    struct Entry: Decodable {
        var priority: UInt32
        var src: String?
        var srclen: Int?
        var dst: String?
        var dstlen: Int?
        var fwmark: String?
        var fwmask: String?
        var iif: String?
        var oif: String?
        var not: Bool?
        var table: String?
        var action: String?
        var target: UInt32?
    }

    /// - Throws: `StateParsingError` for output that is not `ip -j rule` JSON.
    public static func parse(_ text: String, tables: RTTablesFile, query: String = "rules") throws(StateParsingError)
        -> [PolicyRule]
    {
        var rules: [PolicyRule] = []
        for entry in try JSONDump.decode(Entry.self, from: text, query: query) {
            func prefix(_ address: String?, _ length: Int?) -> IPPrefix? {
                guard let address, address != "all", let parsed = IPAddress(address) else { return nil }
                return IPPrefix(address: parsed, length: length ?? parsed.bitWidth)
            }
            let action: PolicyRule.Action
            switch entry.action {
            case "blackhole": action = .blackhole
            case "unreachable": action = .unreachable
            case "prohibit": action = .prohibit
            case "nop": action = .nop
            case "goto": action = .goto(priority: entry.target ?? 0)
            default:
                guard let name = entry.table, let table = RouteDumpParser.tableID(printed: name, tables: tables) else {
                    throw StateParsingError(query: query, message: "rule \(entry.priority) without a known table")
                }
                action = .lookup(table: table)
            }
            rules.append(
                PolicyRule(
                    priority: entry.priority, source: prefix(entry.src, entry.srclen),
                    destination: prefix(entry.dst, entry.dstlen), fwmark: entry.fwmark.flatMap(number),
                    fwmask: entry.fwmask.flatMap(number) ?? (entry.fwmark != nil ? 0xFFFF_FFFF : nil),
                    inputInterface: entry.iif, outputInterface: entry.oif, isInverted: entry.not ?? false,
                    action: action))
        }
        return rules
    }

    static func number(_ text: String) -> UInt32? {
        text.hasPrefix("0x") ? UInt32(text.dropFirst(2), radix: 16) : UInt32(text)
    }
}
