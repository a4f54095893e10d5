public import PlanModel

/// Reads `ip -j address show` (or `ip -j link show`): interfaces, their administrative state, MAC, kind
/// (from `linkinfo` when the dump has details, else loopback or plain) and IPv4 addresses.
public enum LinkDumpParser {
    struct Entry: Decodable {
        struct AddressInfo: Decodable {
            var family: String
            var local: String?
            var prefixlen: Int?
            var secondary: Bool?
        }

        struct LinkInfo: Decodable {
            var info_kind: String?
        }

        var ifname: String
        var flags: [String]?
        var address: String?
        var link_type: String?
        var linkinfo: LinkInfo?
        var addr_info: [AddressInfo]?
    }

    /// - Throws: `StateParsingError` for output that is not `ip -j address` JSON.
    public static func parse(_ text: String, query: String = "addresses") throws(StateParsingError) -> [Link] {
        var links: [Link] = []
        for (index, entry) in try JSONDump.decode(Entry.self, from: text, query: query).enumerated() {
            let kind: Link.Kind
            switch (entry.link_type, entry.linkinfo?.info_kind) {
            case ("loopback", _): kind = .loopback
            case (_, "macvlan"): kind = .macvlan(parent: 0, mode: "")
            case (_, "veth"): kind = .veth(peer: nil)
            default: kind = .ethernet
            }
            let addresses = (entry.addr_info ?? []).compactMap { info -> InterfaceAddress? in
                guard info.family == "inet", let local = info.local.flatMap({ IPAddress($0) }),
                    let length = info.prefixlen
                else {
                    return nil
                }
                return InterfaceAddress(address: local, prefixLength: length, isSecondary: info.secondary ?? false)
            }
            links.append(
                Link(
                    id: index + 1, name: entry.ifname, kind: kind, mac: entry.address.flatMap { MACAddress($0) },
                    isUp: entry.flags?.contains("UP") ?? false, addresses: addresses))
        }
        return links
    }
}

/// Reads `ip -j netns list`.
public enum NamespaceListParser {
    struct Entry: Decodable { var name: String }

    /// - Throws: `StateParsingError` for output that is not `ip -j netns list` JSON.
    public static func parse(_ text: String, query: String = "namespaces") throws(StateParsingError) -> [String] {
        try JSONDump.decode(Entry.self, from: text, query: query).map(\.name)
    }
}

/// Reads `iptables-save`: per table, the `-A CHAIN rule` lines in order.
public enum IptablesSaveParser {
    /// - Throws: `StateParsingError` for a rule line outside a table.
    public static func parse(_ text: String, query: String = "iptables") throws(StateParsingError) -> IptablesState {
        var state = IptablesState()
        var table: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") || line == "COMMIT" { continue }
            if line.hasPrefix("*") {
                table = String(line.dropFirst())
                state.tables[table ?? "", default: [:]] = state.tables[table ?? ""] ?? [:]
            } else if line.hasPrefix(":") {
                continue
            } else if line.hasPrefix("-A ") {
                guard let table else {
                    throw StateParsingError(query: query, message: "a rule before any table: \(line)")
                }
                let rest = line.dropFirst(3)
                let chain = String(rest.prefix { $0 != " " })
                let rule = String(rest.dropFirst(chain.count).drop { $0 == " " })
                state.tables[table, default: [:]][chain, default: []].append(rule)
            }
        }
        return state
    }
}

/// Reads the agent's `name = value` sysctl lines.
public enum SysctlOutputParser {
    /// - Throws: `StateParsingError` for a line without ` = `.
    public static func parse(_ text: String, query: String = "sysctl") throws(StateParsingError) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: " = ") else {
                throw StateParsingError(query: query, message: "not a 'name = value' line: \(line)")
            }
            let name = String(line[..<range.lowerBound]).replacingOccurrences(of: "/", with: ".")
            values[name] = String(line[range.upperBound...])
        }
        return values
    }
}
