import PlanModel

extension CompilerRun {
    /// OP-10: identities take new addresses together (a g-node changes position as a whole). In every table
    /// (also those whose arc brought no ETP yet) the prefixes that no longer exist go and the finer ones
    /// come; a principal identity adds the own IPs it can now compute (global, SNAT, anonymising, then
    /// internal from the top, as the script does) and a gateway its NETMAP rules; then `ntk` and the tables
    /// with a rule are rewritten (every `ntk` route gets its `src`).
    @discardableResult
    mutating func changeAddresses(_ changes: [(identity: Int, address: NetsukukuAddress)], title: String, after: Int?)
        -> Int?
    {
        var before: [Int: [DestinationPrefix]] = [:]
        for change in changes {
            before[change.identity] = state.prefixes(of: change.identity, mapping: mapping)
            state.identities[change.identity].address = change.address
        }
        var blocks: [(system: String, lines: [String])] = []
        for change in changes {
            let id = change.identity
            let old = before[id] ?? []
            let new = state.prefixes(of: id, mapping: mapping)
            let oldSet = Set(old.map(\.prefix))
            let newSet = Set(new.map(\.prefix))
            let removed = old.filter { !newSet.contains($0.prefix) }
            let added = new.filter { !oldSet.contains($0.prefix) }
            var lines: [String] = []
            let order = state.identities[id].tables.indices.sorted {
                state.identities[id].tables[$0].number < state.identities[id].tables[$1].number
            }
            let tables: [(name: String, index: Int?)] =
                (state.identities[id].ntk != nil ? [("ntk", nil)] : [])
                + order.map { (state.identities[id].tables[$0].name, $0) }
            for table in tables {
                lines += removed.map { inside(id, RouteCommand.delete($0, table: table.name)) }
            }
            for table in tables {
                lines += added.map { inside(id, RouteCommand.addUnreachable($0, table: table.name)) }
            }
            for table in tables {
                if let index = table.index {
                    var routes = state.identities[id].tables[index].routes.filter { newSet.contains($0.key) }
                    for prefix in added { routes[prefix.prefix] = .unreachable }
                    state.identities[id].tables[index].routes = routes
                } else {
                    var routes = state.identities[id].ntk?.filter { newSet.contains($0.key) } ?? [:]
                    for prefix in added { routes[prefix.prefix] = .unreachable }
                    state.identities[id].ntk = routes
                }
            }
            if state.identities[id].isPrincipal { lines += ownAddressLines(id) }
            lines += rewriteLines(id, state.routes(of: id, mapping: mapping), ruleFor: nil)
            blocks.append((state.identities[id].system, lines))
        }
        return emit("\(operation)-address", title, .addressChange, blocks, after: [after])
    }

    /// The own IPs, SNAT and NETMAP rules a principal identity's current address calls for, as commands from
    /// what is in place.
    private mutating func ownAddressLines(_ id: Int) -> [String] {
        let y = state.identities[id]
        guard let config = config(y.system) else { return [] }
        let device = y.nic.device
        let wanted = mapping.ownAddresses(
            of: y.address, acceptsAnonymous: config.acceptsAnonymous, subnetLevel: y.subnetLevel)
        let global = config.anonymiser ? mapping.globalIP(of: y.address) : nil
        let rules = SubnetMapping(mapping: mapping, subnetLevel: config.subnetLevel).netmapRules(
            of: y.address, acceptsAnonymous: config.acceptsAnonymous)
        var lines: [String] = []
        if y.netmap != rules { lines += y.netmap.map(\.deleteCommand) }
        if let snat = y.snat, snat != global {
            lines.append(SubnetMapping.snatRule(mapping: mapping, global: snat).deleteCommand)
            state.identities[id].snat = nil
        }
        for own in y.ownAddresses where !wanted.contains(own) {
            lines.append(CommandText.addressDelete(own.ip, device: device))
        }
        var present = y.ownAddresses.filter { wanted.contains($0) }
        for own in wanted where !present.contains(own) {
            lines.append(CommandText.addressAdd(own.ip, device: device))
            present.append(own)
            if own.kind == .global, let global, state.identities[id].snat == nil {
                lines.append(SubnetMapping.snatRule(mapping: mapping, global: global).addCommand)
                state.identities[id].snat = global
            }
        }
        if y.netmap != rules { lines += rules.map(\.addCommand) }
        state.identities[id].ownAddresses = present
        state.identities[id].netmap = rules
        return lines
    }
}
