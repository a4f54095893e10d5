import PlanModel

extension CompilerRun {
    /// OP-3 on `owner` for its qspn-arc to `peer` (the arc is already gone from the state): the remaining
    /// tables rewritten, then the rule (if any), the table, its mark and its `rt_tables` line (when no
    /// other identity of the system uses the name), then — when the identity-arc goes too — the direct route.
    mutating func qspnArcRemovalLines(owner: Int, peer: Int, dropsLink: Bool) -> [String] {
        guard let index = state.identities[owner].tableIndex(for: peer) else {
            return dropsLink ? [linkRemoval(owner: owner, peer: peer)] : []
        }
        let table = state.identities[owner].tables.remove(at: index)
        var lines = rewriteLines(owner, state.routes(of: owner, mapping: mapping), ruleFor: nil)
        if table.hasRule { lines.append(inside(owner, CommandText.ruleDelete(number: table.number, name: table.name))) }
        lines.append(inside(owner, CommandText.flush(table.name)))
        lines.append(inside(owner, CommandText.markDelete(mac: table.mac, number: table.number)))
        let system = state.identities[owner].system
        if !state.isTableNameUsed(table.name, in: system) {
            lines.append(CommandText.unregister(name: table.name))
            state.systems[system]?.unregister(table.name)
        }
        if dropsLink { lines.append(linkRemoval(owner: owner, peer: peer)) }
        return lines
    }

    func linkRemoval(owner: Int, peer: Int) -> String {
        let nic = state.identities[owner].nic
        return inside(
            owner,
            CommandText.linkRouteDelete(
                to: state.identities[peer].nic.linkLocal, device: nic.device, source: nic.linkLocal))
    }

    /// `remove_outer_arcs`: each connectivity identity drops its qspn-arcs to peers outside the g-node it
    /// supports (its level-(connectivity level + 1) g-node); both ends run OP-3, then the ETPs.
    mutating func removeOuterArcs(_ references: [IdentityReference]) {
        var identities: [Int] = []
        for reference in references {
            guard let id = resolveIdentity(reference) else { continue }
            guard !state.identities[id].isPrincipal else {
                fail(
                    .invalidValue,
                    "'\(reference)' is a principal identity; only connectivity identities drop outer arcs",
                    at: reference.location, hint: "name a connectivity identity as system/namespace")
                continue
            }
            identities.append(id)
        }
        removeOuterArcs(of: identities)
    }

    mutating func removeOuterArcs(of identities: [Int]) {
        var blocks: [(system: String, lines: [String])] = []
        var touched: [Int] = []
        for id in identities {
            let x = state.identities[id]
            let supported = x.address.gnode(level: min(x.lowestLevel + 1, scenario.scheme.levels))
            for peer in state.qspnPeers(of: id) where !supported.contains(state.identities[peer].address) {
                guard let arc = state.arcIndex(id, peer) else { continue }
                state.arcs[arc].isAlive = false
                blocks.append((x.system, qspnArcRemovalLines(owner: id, peer: peer, dropsLink: true)))
                blocks.append(
                    (state.identities[peer].system, qspnArcRemovalLines(owner: peer, peer: id, dropsLink: true)))
                touched += [id, peer]
            }
        }
        emit("links", "Connectivity identities drop their outer arcs", .arcRemoval, blocks)
        propagate(announcements(from: touched))
    }

    /// `remove_arc` (OP-3): every identity-arc over the physical arc goes; qspn-arcs with their tables.
    mutating func removeArc(_ arc: ArcSpec) {
        let (a, b) = (arc.ends[0].value, arc.ends[1].value)
        guard let physical = state.physicalArcs.firstIndex(where: { $0.joins(a, b) }) else {
            fail(
                .unknownReference, "there is no arc between '\(a)' and '\(b)'", at: arc.ends[0].location,
                hint: "remove only arcs an earlier add_real_arc made")
            return
        }
        state.physicalArcs.remove(at: physical)
        var blocks: [(system: String, lines: [String])] = []
        var touched: [Int] = []
        for index in state.arcs.indices where state.arcs[index].isAlive {
            let ends = state.arcs[index].ends
            guard Set(ends.map { state.identities[$0].system }) == Set([a, b]) else { continue }
            state.arcs[index].isAlive = false
            for (owner, peer) in [(ends[0], ends[1]), (ends[1], ends[0])] {
                blocks.append(
                    (state.identities[owner].system, qspnArcRemovalLines(owner: owner, peer: peer, dropsLink: true)))
            }
            if state.arcs[index].isQspn { touched += ends }
        }
        emit("links", "Arc between \(a) and \(b) removed", .arcRemoval, blocks)
        propagate(announcements(from: touched))
    }

    /// `dismiss` (OP-11): the namespaces of connectivity identities go; neighbours with a qspn-arc to them
    /// drop its table (OP-3, keeping the direct route as the script does), the others the direct route.
    /// domain.md §OP-11 and §1.7 point to its section 5.18 for why the route stays; the file has no
    /// sections 4 and 5, so the script's behaviour (§1.7 lists the leftover routes) is what is followed.
    mutating func dismiss(_ references: [IdentityReference]) {
        var dismissed: [Int] = []
        for reference in references {
            guard let id = resolveIdentity(reference) else { continue }
            guard !state.identities[id].isPrincipal else {
                fail(
                    .invalidValue,
                    "cannot dismiss '\(reference)': it is the principal identity of '\(reference.system)'",
                    at: reference.location, hint: "only connectivity identities (system/namespace) can be dismissed")
                continue
            }
            dismissed.append(id)
        }
        guard !dismissed.isEmpty, errors.isEmpty else { return }
        let gone = Set(dismissed)
        var own: [(system: String, lines: [String])] = []
        var neighbours: [(peer: Int, dead: Int, qspn: Bool)] = []
        for id in dismissed {
            state.identities[id].isAlive = false
            for arc in state.arcIndices(of: id) {
                guard let peer = state.arcs[arc].peer(of: id) else { continue }
                if !gone.contains(peer) { neighbours.append((peer, id, state.arcs[arc].isQspn)) }
                state.arcs[arc].isAlive = false
            }
        }
        for id in dismissed {
            let x = state.identities[id]
            var lines = CommandText.namespaceRemoval(x.namespace ?? "", device: x.nic.device)
            for table in x.tables where !state.isTableNameUsed(table.name, in: x.system) {
                lines.append(CommandText.unregister(name: table.name))
                state.systems[x.system]?.unregister(table.name)
            }
            own.append((x.system, lines))
        }
        let removed = emit(
            "\(operation)", "Dismissal of \(references.map(\.description).joined(separator: ", "))", .dismissal, own)
        var blocks: [(system: String, lines: [String])] = []
        for (peer, dead, qspn) in state.sortedBySystem(neighbours.map(\.peer)).flatMap({ p in
            neighbours.filter { $0.peer == p }
        })
        where state.identities[peer].isAlive {
            let lines =
                qspn
                ? qspnArcRemovalLines(owner: peer, peer: dead, dropsLink: false)
                : [linkRemoval(owner: peer, peer: dead)]
            blocks.append((state.identities[peer].system, lines))
        }
        emit("\(operation)-neighbours", "Neighbours of the dismissed identities", .dismissal, blocks, after: [removed])
        propagate(announcements(from: neighbours.filter(\.qspn).map(\.peer)))
    }

    mutating func resolveIdentity(_ reference: IdentityReference) -> Int? {
        guard let id = state.identity(system: reference.system, namespace: reference.namespace) else {
            let existing = state.identities(of: reference.system).map { state.identities[$0].label }
            fail(
                .unknownReference, "no identity '\(reference)'", at: reference.location,
                hint:
                    "identities of '\(reference.system)': \(existing.isEmpty ? "none yet" : existing.joined(separator: ", "))"
            )
            return nil
        }
        return id
    }
}
