/// Routes compared per table and destination, and policy rules as a list.
extension StateComparison {
    /// The table's name as a subject: `main`, `local`, the rt_tables name, else the number.
    static func tableName(_ table: UInt32, _ tables: RTTablesFile) -> String {
        switch table {
        case RouteTable.main: "main"
        case RouteTable.local: "local"
        default: tables.name(ofTable: table) ?? "\(table)"
        }
    }

    /// Per table and destination, equal routes cancel out; what is left pairs up in order, so a changed
    /// route reads "expected X, found Y" (Y without its destination).
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

    /// Rules missing, then rules extra, each in the kernel's order.
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
}
