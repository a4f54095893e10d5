/// Predicted versus found kernel state, as precise differences.
///
/// Only what the probes fetched and the model owns is compared: IPv4 routes (every table, flags such as
/// `linkdown` ignored), rules, interfaces (name, up/down, MAC when the model knows it, kind when the dump
/// shows it) and their IPv4 addresses (IPv6 addresses and routes the kernel adds are ignored), iptables rules,
/// the sysctls the plan set, the namespace list and the `rt_tables` lines. Parts the model lost
/// (`unknown`) are skipped.
public enum StateComparison {
    public static func differences(predicted: NodeState, observed: NodeState, probes: [StateProbe]) -> [StateDifference]
    {
        var result: [StateDifference] = []
        let node = predicted.node
        for probe in probes {
            switch probe.kind {
            case .namespaces:
                guard !predicted.unknown.contains(.namespaces), !observed.unknown.contains(.namespaces) else {
                    continue
                }
                let expected = Set(predicted.namedNamespaces)
                let found = Set(observed.namedNamespaces)
                for name in expected.subtracting(found).sorted() {
                    result.append(
                        StateDifference(node: node, namespace: nil, subject: "netns list", expected: name, found: nil))
                }
                for name in found.subtracting(expected).sorted() {
                    result.append(
                        StateDifference(node: node, namespace: nil, subject: "netns list", expected: nil, found: name))
                }
            case .rtTables:
                guard !predicted.unknown.contains(.rtTables), !observed.unknown.contains(.rtTables) else { continue }
                result += compareLines(predicted.rtTables.lines, observed.rtTables.lines, node: node)
            default:
                let key = NodeState.key(probe.namespace?.rawValue)
                guard let expected = predicted.namespaces[key], let found = observed.namespaces[key] else {
                    if predicted.namespaces[key] != nil, observed.namespaces[key] == nil, !probe.aspects.isEmpty {
                        result.append(
                            StateDifference(
                                node: node, namespace: probe.namespace?.rawValue, subject: "\(probe)",
                                expected: "a dump",
                                found: "no output"))
                    }
                    continue
                }
                let skip = expected.unknown.union(found.unknown)
                switch probe.kind {
                case .routes where !skip.contains(.routes):
                    result += compareRoutes(expected, found, node: node, tables: predicted.rtTables)
                case .rules where !skip.contains(.rules):
                    result += compareRules(expected, found, node: node, tables: predicted.rtTables)
                case .addresses where skip.isDisjoint(with: [.links, .addresses]):
                    result += compareLinks(expected, found, node: node)
                case .iptables where !skip.contains(.iptables):
                    result += compareIptables(expected, found, node: node)
                case .sysctl(let names) where !skip.contains(.sysctls):
                    for name in names where expected.sysctls[name] != found.sysctls[name] {
                        result.append(
                            StateDifference(
                                node: node, namespace: expected.name, subject: "sysctl \(name)",
                                expected: expected.sysctls[name], found: found.sysctls[name]))
                    }
                default:
                    continue
                }
            }
        }
        return result
    }

    static func tableName(_ table: UInt32, _ tables: RTTablesFile) -> String {
        switch table {
        case RouteTable.main: "main"
        case RouteTable.local: "local"
        default: tables.name(ofTable: table) ?? "\(table)"
        }
    }

    static func compareRoutes(_ expected: NamespaceState, _ found: NamespaceState, node: NodeName, tables: RTTablesFile)
        -> [StateDifference]
    {
        struct Group: Hashable {
            var table: UInt32
            var destination: IPPrefix
        }
        var expectedGroups: [Group: [Route]] = [:]
        var foundGroups: [Group: [Route]] = [:]
        for route in expected.routes {
            expectedGroups[Group(table: route.table, destination: route.destination), default: []].append(route)
        }
        for route in found.routes {
            foundGroups[Group(table: route.table, destination: route.destination), default: []].append(route)
        }
        var result: [StateDifference] = []
        let groups = Set(expectedGroups.keys).union(foundGroups.keys).sorted {
            ($0.table, $0.destination) < ($1.table, $1.destination)
        }
        for group in groups {
            var wanted = expectedGroups[group] ?? []
            var got = foundGroups[group] ?? []
            for route in wanted {
                if let index = got.firstIndex(of: route) {
                    got.remove(at: index)
                    wanted.removeAll { $0 == route }
                }
            }
            if wanted.isEmpty && got.isEmpty { continue }
            let subject = "table \(tableName(group.table, tables))"
            let count = max(wanted.count, got.count)
            for index in 0..<count {
                let expectedRoute = index < wanted.count ? wanted[index] : nil
                let foundRoute = index < got.count ? got[index] : nil
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: expectedRoute?.description,
                        found: foundRoute?.describe(includingDestination: expectedRoute == nil)))
            }
        }
        return result
    }

    static func compareRules(_ expected: NamespaceState, _ found: NamespaceState, node: NodeName, tables: RTTablesFile)
        -> [StateDifference]
    {
        var missing = expected.rules
        var extra: [PolicyRule] = []
        for rule in found.rules {
            if let index = missing.firstIndex(of: rule) { missing.remove(at: index) } else { extra.append(rule) }
        }
        return missing.map {
            StateDifference(
                node: node, namespace: expected.name, subject: "rules", expected: $0.describe(tables: tables),
                found: nil)
        }
            + extra.map {
                StateDifference(
                    node: node, namespace: expected.name, subject: "rules", expected: nil,
                    found: $0.describe(tables: tables))
            }
    }

    static func compareLinks(_ expected: NamespaceState, _ found: NamespaceState, node: NodeName) -> [StateDifference] {
        var result: [StateDifference] = []
        for link in expected.links {
            let subject = "link \(link.name)"
            guard let other = found.link(named: link.name) else {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: describe(link), found: nil))
                continue
            }
            if link.isUp != other.isUp {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: link.isUp ? "up" : "down",
                        found: other.isUp ? "up" : "down"))
            }
            if let mac = link.mac, let otherMAC = other.mac, mac != otherMAC {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: "MAC \(mac)",
                        found: "MAC \(otherMAC)"))
            }
            if other.kindName != "ethernet", link.kindName != other.kindName {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: link.kindName,
                        found: other.kindName))
            }
            let wanted = Set(link.addresses.map(\.description))
            let got = Set(other.addresses.map(\.description))
            for address in wanted.subtracting(got).sorted() {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: "address \(address)",
                        found: nil))
            }
            for address in got.subtracting(wanted).sorted() {
                result.append(
                    StateDifference(
                        node: node, namespace: expected.name, subject: subject, expected: nil,
                        found: "address \(address)"))
            }
        }
        for link in found.links where expected.link(named: link.name) == nil {
            result.append(
                StateDifference(
                    node: node, namespace: expected.name, subject: "link \(link.name)", expected: nil,
                    found: describe(link)))
        }
        return result
    }

    static func describe(_ link: Link) -> String {
        var text = link.kindName
        if let mac = link.mac { text += " \(mac)" }
        text += link.isUp ? " up" : " down"
        if !link.addresses.isEmpty { text += " " + link.addresses.map(\.description).joined(separator: " ") }
        return text
    }

    static func compareIptables(_ expected: NamespaceState, _ found: NamespaceState, node: NodeName)
        -> [StateDifference]
    {
        var result: [StateDifference] = []
        let wanted = expected.iptables.normalised
        let got = found.iptables.normalised
        let tables = Set(wanted.keys).union(got.keys).sorted()
        for table in tables {
            let chains = Set((wanted[table] ?? [:]).keys).union((got[table] ?? [:]).keys).sorted()
            for chain in chains {
                let expectedRules = wanted[table]?[chain] ?? []
                let foundRules = got[table]?[chain] ?? []
                if expectedRules == foundRules { continue }
                let subject = "iptables \(table) \(chain)"
                var missing = expectedRules
                var extra: [String] = []
                for rule in foundRules {
                    if let index = missing.firstIndex(of: rule) {
                        missing.remove(at: index)
                    } else {
                        extra.append(rule)
                    }
                }
                if missing.isEmpty && extra.isEmpty {
                    result.append(
                        StateDifference(
                            node: node, namespace: expected.name, subject: subject,
                            expected: "order " + expectedRules.joined(separator: " | "),
                            found: "order " + foundRules.joined(separator: " | ")))
                }
                for rule in missing {
                    result.append(
                        StateDifference(
                            node: node, namespace: expected.name, subject: subject, expected: "-A \(chain) \(rule)",
                            found: nil))
                }
                for rule in extra {
                    result.append(
                        StateDifference(
                            node: node, namespace: expected.name, subject: subject, expected: nil,
                            found: "-A \(chain) \(rule)"))
                }
            }
        }
        return result
    }

    static func compareLines(_ expected: [String], _ found: [String], node: NodeName) -> [StateDifference] {
        guard expected != found else { return [] }
        let count = max(expected.count, found.count)
        for index in 0..<count {
            let wanted = index < expected.count ? expected[index] : nil
            let got = index < found.count ? found[index] : nil
            if wanted != got {
                return [
                    StateDifference(
                        node: node, namespace: nil, subject: "rt_tables line \(index + 1)",
                        expected: wanted.map { "'\($0)'" },
                        found: got.map { "'\($0)'" })
                ]
            }
        }
        return []
    }
}

/// One way the found state differs from the prediction.
public struct StateDifference: Sendable, Hashable, Codable, CustomStringConvertible {
    public var node: NodeName
    /// Nil for the default namespace (and node-wide subjects).
    public var namespace: String?
    /// What differs: `table ntk_from_00:16:3E:EC:A3:E1`, `rules`, `link migr01_eth1`, `iptables nat POSTROUTING`.
    public var subject: String
    /// Nil: the model expected nothing there.
    public var expected: String?
    /// Nil: nothing was found there.
    public var found: String?

    public init(node: NodeName, namespace: String?, subject: String, expected: String?, found: String?) {
        self.node = node
        self.namespace = namespace
        self.subject = subject
        self.expected = expected
        self.found = found
    }

    /// `table ntk_from_00:16:3E:EC:A3:E1 in migr01 on beta: expected 10.0.0.20/31 via 169.254.94.223 dev
    /// migr01_eth1, found unreachable`.
    public var description: String {
        let place = namespace.map { " in \($0)" } ?? ""
        return "\(subject)\(place) on \(node): expected \(expected ?? "nothing"), found \(found ?? "nothing")"
    }
}

extension NodeState {
    /// This state with the probed parts replaced by what was found (only the parts the model had lost, unless
    /// `everything`), so a model can continue from the node's real state after a difference or an unknown.
    public func adopting(_ observed: NodeState, probes: [StateProbe], everything: Bool = false) -> NodeState {
        var state = self
        for probe in probes {
            switch probe.kind {
            case .namespaces:
                guard everything || state.unknown.contains(.namespaces), !observed.unknown.contains(.namespaces) else {
                    continue
                }
                for name in observed.namedNamespaces where state.namespaces[name] == nil {
                    state.namespaces[name] = NamespaceState(
                        name: name, tablesKnown: false, unknown: Set(StateAspect.allCases))
                }
                for name in state.namedNamespaces where observed.namespaces[name] == nil {
                    state.namespaces[name] = nil
                }
                state.unknown.remove(.namespaces)
            case .rtTables:
                guard everything || state.unknown.contains(.rtTables), !observed.unknown.contains(.rtTables) else {
                    continue
                }
                state.rtTables = observed.rtTables
                state.unknown.remove(.rtTables)
            default:
                let key = NodeState.key(probe.namespace?.rawValue)
                guard var mine = state.namespaces[key], let theirs = observed.namespaces[key] else { continue }
                for aspect in probe.aspects where everything || mine.unknown.contains(aspect) {
                    guard !theirs.unknown.contains(aspect) else { continue }
                    switch aspect {
                    case .routes:
                        mine.routes = theirs.routes
                        mine.tablesKnown = false
                    case .rules: mine.rules = theirs.rules
                    case .links, .addresses:
                        mine.links = theirs.links.map { link in
                            var copy = link
                            copy.id = mine.links.first { $0.name == link.name }?.id ?? state.nextLinkID
                            if mine.links.first(where: { $0.name == link.name }) == nil { state.nextLinkID += 1 }
                            if copy.mac == nil { copy.mac = mine.link(named: link.name)?.mac }
                            return copy
                        }
                    case .iptables: mine.iptables = theirs.iptables
                    case .sysctls: mine.sysctls.merge(theirs.sysctls) { $1 }
                    }
                    mine.unknown.remove(aspect)
                }
                state.namespaces[key] = mine
            }
        }
        return state
    }
}
