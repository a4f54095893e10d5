import PlanModel

extension CompilerRun {
    /// OP-6(a): each moved identity's forwarding tables in its new namespace. A table for a g-node mate gets
    /// the mate's new MAC (a new name, `tee` if the system lacks it) and its rule at once; a table for an
    /// outside peer keeps name and number, and its rule if it had one. First every table's mark and
    /// unreachable prefixes, then the routes of the tables that knew something, each followed by its rule
    /// (seed 000); tables in decreasing number.
    mutating func emitTablesIntoNamespace(_ record: Duplication, title: String, after: Int?) -> Int? {
        let memberSet = Set(record.old)
        var blocks: [(system: String, lines: [String])] = []
        for id in record.old {
            var first: [String] = []
            var externals = state.identities[id].tables
            state.identities[id].tables = []
            let prefixes = state.prefixes(of: id, mapping: mapping)
            for index in externals.indices {
                first.append(
                    inside(id, CommandText.markAdd(mac: externals[index].mac, number: externals[index].number)))
                let name = externals[index].name
                first += prefixes.map { inside(id, RouteCommand.addUnreachable($0, table: name)) }
                externals[index].routes = Dictionary(uniqueKeysWithValues: prefixes.map { ($0.prefix, .unreachable) })
            }
            state.identities[id].tables = externals
            for peer in state.qspnPeers(of: id) where memberSet.contains(peer) {
                first += createTable(owner: id, peer: peer)
                if let index = state.identities[id].tableIndex(for: peer) {
                    state.identities[id].tables[index].isAddressKnown = true
                }
            }
            state.identities[id].tables.sort { $0.number > $1.number }
            let routes = state.routes(of: id, mapping: mapping)
            var second: [String] = []
            for index in state.identities[id].tables.indices {
                let table = state.identities[id].tables[index]
                let isMate = memberSet.contains(table.peer)
                guard table.hasRule || isMate, let wanted = routes.tables[table.peer] else { continue }
                let name = table.name
                second += wanted.map { inside(id, RouteCommand.change($0, table: name)) }
                second.append(inside(id, CommandText.ruleAdd(number: table.number, name: table.name)))
                state.identities[id].tables[index].routes = Dictionary(
                    wanted.map { ($0.prefix.prefix, $0.choice) }, uniquingKeysWith: { a, _ in a })
                state.identities[id].tables[index].hasRule = true
            }
            blocks.append((state.identities[id].system, first + second))
        }
        return emit(
            "\(record.namespace)-tables", "\(title): forwarding tables copied into \(record.namespace)", .moveRoutes,
            blocks, after: [after])
    }

    /// OP-6(b): each new identity's old namespace is prepared. Every old prefix goes from `ntk` and the
    /// tables the new identity keeps, except internal-Lk ones (k ≤ the g-node's level) of destinations
    /// below that level; in the default namespace the own IPs above that level and the NAT rules go (a new
    /// identity re-adds the own IPs its virtual address still computes). A migration drops the rules of
    /// the tables of outside peers (their ETPs must come again); an entry drops those tables entirely.
    mutating func emitOldNamespaceCleanup(_ record: Duplication, title: String, after: [Int?]) -> Int? {
        var blocks: [(system: String, lines: [String])] = []
        let level = record.level
        for (index, id) in record.new.enumerated() {
            var lines: [String] = []
            // Internal-Lk prefixes (k ≤ level) of destinations below the level stay: the new address has them too.
            let removed = record.oldDestinations[index].flatMap { destination in
                destination.prefixes.filter { prefix in
                    guard destination.level < level, let k = prefix.kind.internalLevel, k <= level else { return true }
                    return false
                }
            }
            let removedSet = Set(removed.map(\.prefix))
            var tableOrder = state.identities[id].tables.indices.sorted {
                state.identities[id].tables[$0].number > state.identities[id].tables[$1].number
            }
            if state.identities[id].ntk != nil {
                lines += removed.map { inside(id, RouteCommand.delete($0, table: "ntk")) }
                state.identities[id].ntk = state.identities[id].ntk?.filter { !removedSet.contains($0.key) }
            }
            for table in tableOrder {
                let name = state.identities[id].tables[table].name
                lines += removed.map { inside(id, RouteCommand.delete($0, table: name)) }
                state.identities[id].tables[table].routes = state.identities[id].tables[table].routes.filter {
                    !removedSet.contains($0.key)
                }
            }
            if record.oldNamespaces[index] == nil { lines += releaseOwnAddresses(id, above: level) }
            if record.isMigration {
                tableOrder = tableOrder.filter { !record.new.contains(state.identities[id].tables[$0].peer) }
                for table in tableOrder where state.identities[id].tables[table].hasRule {
                    let t = state.identities[id].tables[table]
                    lines.append(inside(id, CommandText.ruleDelete(number: t.number, name: t.name)))
                    state.identities[id].tables[table].hasRule = false
                    state.identities[id].tables[table].isAddressKnown = false
                }
            } else {
                for table in record.externalTables[index] {
                    if table.hasRule {
                        lines.append(inside(id, CommandText.ruleDelete(number: table.number, name: table.name)))
                    }
                    lines.append(inside(id, CommandText.flush(table.name)))
                    lines.append(inside(id, CommandText.markDelete(mac: table.mac, number: table.number)))
                }
            }
            blocks.append((state.identities[id].system, lines))
        }
        return emit(
            "\(record.namespace)-cleanup", "\(title): old namespaces prepared for the new identities", .moveRoutes,
            blocks, after: after)
    }

    /// The old namespace's own IPs of the kinds that change with the g-node's position (global, anonymising,
    /// internal above `level`), with the SNAT and NETMAP rules; then the own IPs the new address still has.
    private mutating func releaseOwnAddresses(_ id: Int, above level: Int) -> [String] {
        var lines: [String] = []
        let y = state.identities[id]
        lines += y.netmap.map(\.deleteCommand)
        if let snat = y.snat { lines.append(SubnetMapping.snatRule(mapping: mapping, global: snat).deleteCommand) }
        let dropped = y.ownAddresses.filter { ($0.kind.internalLevel ?? Int.max) > level }
        lines += dropped.map { CommandText.addressDelete($0.ip, device: y.nic.device) }
        var kept = y.ownAddresses.filter { ($0.kind.internalLevel ?? Int.max) <= level }
        let config = config(y.system)
        let wanted = mapping.ownAddresses(
            of: y.address, acceptsAnonymous: config?.acceptsAnonymous ?? true, subnetLevel: y.subnetLevel)
        for own in wanted where !kept.contains(own) {
            lines.append(CommandText.addressAdd(own.ip, device: y.nic.device))
            kept.append(own)
        }
        state.identities[id].ownAddresses = kept
        state.identities[id].snat = nil
        state.identities[id].netmap = []
        return lines
    }

    /// OP-8: the new identities' destinations, unreachable, in `ntk` and every table they keep, skipping
    /// the prefixes still there.
    mutating func emitNewRoutes(_ record: Duplication, title: String, after: Int?) -> Int? {
        var blocks: [(system: String, lines: [String])] = []
        for id in record.new {
            let prefixes = state.prefixes(of: id, mapping: mapping)
            var lines: [String] = []
            if let ntk = state.identities[id].ntk {
                let missing = prefixes.filter { ntk[$0.prefix] == nil }
                lines += missing.map { inside(id, RouteCommand.addUnreachable($0, table: "ntk")) }
                for prefix in missing { state.identities[id].ntk?[prefix.prefix] = .unreachable }
            }
            let order = state.identities[id].tables.indices.sorted {
                state.identities[id].tables[$0].number > state.identities[id].tables[$1].number
            }
            for index in order {
                let table = state.identities[id].tables[index]
                let missing = prefixes.filter { table.routes[$0.prefix] == nil }
                let name = table.name
                lines += missing.map { inside(id, RouteCommand.addUnreachable($0, table: name)) }
                for prefix in missing { state.identities[id].tables[index].routes[prefix.prefix] = .unreachable }
            }
            blocks.append((state.identities[id].system, lines))
        }
        return emit(
            "\(record.namespace)-routes", "\(title): routes of the new identities", .routes, blocks, after: [after])
    }
}
