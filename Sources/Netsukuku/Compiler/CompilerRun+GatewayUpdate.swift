import PlanModel

extension CompilerRun {
    /// OP-7 on every outside peer with a qspn-arc to a moved identity: its table for the moved identity
    /// follows the new MAC (highest free number), and when the peer had heard from it, its routes are
    /// rewritten from what it knows with the new gateway link-local, and the rule comes back.
    mutating func emitGatewayUpdates(_ record: Duplication, title: String, after: Int?) -> Int? {
        let memberSet = Set(record.old)
        var peers: [(peer: Int, moved: Int)] = []
        for id in record.old {
            for peer in state.qspnPeers(of: id) where !memberSet.contains(peer) {
                if state.identities[peer].table(for: id) != nil { peers.append((peer, id)) }
            }
        }
        peers = state.sortedBySystem(peers.map(\.peer)).flatMap { peer in peers.filter { $0.peer == peer } }
        var blocks: [(system: String, lines: [String])] = []
        var done: Set<[Int]> = []
        for (peer, moved) in peers where done.insert([peer, moved]).inserted {
            blocks.append((state.identities[peer].system, gatewayUpdateLines(peer: peer, moved: moved)))
        }
        return emit(
            "\(record.namespace)-gateways", "\(title): neighbours update moved gateways", .gatewayUpdate, blocks,
            after: [after])
    }

    mutating func gatewayUpdateLines(peer: Int, moved: Int) -> [String] {
        guard let index = state.identities[peer].tableIndex(for: moved) else { return [] }
        let old = state.identities[peer].tables[index]
        let system = state.identities[peer].system
        let newMAC = state.identities[moved].nic.mac
        var lines: [String] = []
        if old.hasRule { lines.append(inside(peer, CommandText.ruleDelete(number: old.number, name: old.name))) }
        lines.append(inside(peer, CommandText.flush(old.name)))
        lines.append(inside(peer, CommandText.markDelete(mac: old.mac, number: old.number)))
        state.identities[peer].tables[index].mac = newMAC
        if !state.isTableNameUsed(old.name, in: system) {
            lines.append(CommandText.unregister(name: old.name))
            state.systems[system]?.unregister(old.name)
        }
        let name = "ntk_from_\(newMAC)"
        guard let (number, isNew) = state.systems[system]?.register(name) else { return lines }
        if isNew { lines.append(CommandText.register(number: number, name: name)) }
        lines.append(inside(peer, CommandText.markAdd(mac: newMAC, number: number)))
        let prefixes = state.prefixes(of: peer, mapping: mapping)
        lines += prefixes.map { inside(peer, RouteCommand.addUnreachable($0, table: name)) }
        state.identities[peer].tables[index].number = number
        state.identities[peer].tables[index].isAddressKnown = false
        state.identities[peer].tables[index].hasRule = false
        state.identities[peer].tables[index].routes = Dictionary(
            uniqueKeysWithValues: prefixes.map { ($0.prefix, .unreachable) })
        if old.hasRule {
            let routes = state.routes(of: peer, mapping: mapping)
            lines += rewriteLines(peer, routes, ruleFor: moved)
        }
        return lines
    }
}
