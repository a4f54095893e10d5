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
        probes.flatMap { differences(for: $0, predicted: predicted, observed: observed) }
    }

    /// What one probe shows differs, in the probe's subject order.
    static func differences(for probe: StateProbe, predicted: NodeState, observed: NodeState) -> [StateDifference] {
        switch probe.kind {
        case .namespaces:
            guard !predicted.unknown.contains(.namespaces), !observed.unknown.contains(.namespaces) else { return [] }
            return compareNamespaceLists(predicted.namedNamespaces, observed.namedNamespaces, node: predicted.node)
        case .rtTables:
            guard !predicted.unknown.contains(.rtTables), !observed.unknown.contains(.rtTables) else { return [] }
            return compareLines(predicted.rtTables.lines, observed.rtTables.lines, node: predicted.node)
        default:
            return namespaceDifferences(for: probe, predicted: predicted, observed: observed)
        }
    }

    /// A probe of one namespace: a namespace the model has but the dump lacks is "no output"; parts either
    /// side lost are skipped.
    static func namespaceDifferences(for probe: StateProbe, predicted: NodeState, observed: NodeState)
        -> [StateDifference]
    {
        let node = predicted.node
        let key = NodeState.key(probe.namespace?.rawValue)
        guard let expected = predicted.namespaces[key], let found = observed.namespaces[key] else {
            guard predicted.namespaces[key] != nil, observed.namespaces[key] == nil, !probe.aspects.isEmpty else {
                return []
            }
            return [
                StateDifference(
                    node: node, namespace: probe.namespace?.rawValue, subject: "\(probe)", expected: "a dump",
                    found: "no output")
            ]
        }
        let skip = expected.unknown.union(found.unknown)
        switch probe.kind {
        case .routes where !skip.contains(.routes):
            return compareRoutes(expected, found, node: node, tables: predicted.rtTables)
        case .rules where !skip.contains(.rules):
            return compareRules(expected, found, node: node, tables: predicted.rtTables)
        case .addresses where skip.isDisjoint(with: [.links, .addresses]):
            return compareLinks(expected, found, node: node)
        case .iptables where !skip.contains(.iptables):
            return compareIptables(expected, found, node: node)
        case .iptablesTable(let table) where !skip.contains(.iptables):
            return compareIptables(expected, found, node: node, only: table)
        case .sysctl(let names) where !skip.contains(.sysctls):
            return names.filter { expected.sysctls[$0] != found.sysctls[$0] }.map { name in
                StateDifference(
                    node: node, namespace: expected.name, subject: "sysctl \(name)", expected: expected.sysctls[name],
                    found: found.sysctls[name])
            }
        default:
            return []
        }
    }

    /// Named namespaces missing, then extra, each sorted.
    static func compareNamespaceLists(_ expected: [String], _ found: [String], node: NodeName) -> [StateDifference] {
        let wanted = Set(expected)
        let got = Set(found)
        return wanted.subtracting(got).sorted().map {
            StateDifference(node: node, namespace: nil, subject: "netns list", expected: $0, found: nil)
        }
            + got.subtracting(wanted).sorted().map {
                StateDifference(node: node, namespace: nil, subject: "netns list", expected: nil, found: $0)
            }
    }

    /// The first line of `rt_tables` that differs (later lines would all differ after an insertion).
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
