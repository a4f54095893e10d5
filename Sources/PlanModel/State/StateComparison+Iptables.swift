/// iptables rules compared per table and chain, in iptables-save's spelling.
extension StateComparison {
    /// Per table and chain (sorted): rules missing, then rules extra; the same rules in another order are one
    /// "order" difference. With `only`, that table alone (the probe dumped no other).
    static func compareIptables(
        _ expected: NamespaceState, _ found: NamespaceState, node: NodeName, only: String? = nil
    ) -> [StateDifference] {
        var result: [StateDifference] = []
        let wanted = expected.iptables.normalised
        let got = found.iptables.normalised
        let tables = only.map { [$0] } ?? Set(wanted.keys).union(got.keys).sorted()
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
}
