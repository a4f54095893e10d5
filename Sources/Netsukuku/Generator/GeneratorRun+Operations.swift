extension GeneratorRun {
    var main: Int { model.network(of: 0) }

    /// Mirrors the compiler's copy of a g-node's identities: the old ones take the connectivity id at
    /// `level` (computed once, before any moves), the new ones `position` with their lower ids; arcs that
    /// were gone stay gone, and a migration's new identities have no arc to the old ones of other systems.
    mutating func duplicate(
        _ members: [Int], level: Int, namespace: String, network: Int, position: GNodeAddress, isMigration: Bool
    ) -> [Int] {
        let first = model.identities[members[0]]
        let virtual = model.connectivityID(for: first.address, level: level, network: first.network)
        var created: [Int] = []
        for member in members {
            let old = model.identities[member]
            let new = model.identities.count
            model.identities.append(
                .init(
                    system: old.system, namespace: old.namespace,
                    address: position.address(keepingLowerLevelsOf: old.address),
                    network: network))
            if model.principal[old.system] == member { model.principal[old.system] = new }
            model.identities[member].namespace = namespace
            model.identities[member].address = old.address.replacing(level: level, with: virtual)
            model.identities[member].isConnectivity = true
            model.identities[member].connectivityLevel = level
            for cut in model.cuts where cut.contains(member) {
                let other = cut[0] == member ? cut[1] : cut[0]
                model.cuts.insert([min(new, other), max(new, other)])
            }
            created.append(new)
        }
        if isMigration {
            for new in created {
                for old in members { model.cuts.insert([min(new, old), max(new, old)]) }
            }
        }
        return created
    }

    /// A single node enters the network of `into`, at once or through `waits` (a migration id).
    mutating func enter(system: Int, into: Int, virtual: GNodeAddress, real: GNodeAddress, waits: String? = nil) {
        entryCount += 1
        let id = "entr\(entryCount)"
        let old = model.principal[system]
        let network = model.network(of: into)
        let created = duplicate([old], level: 0, namespace: id, network: network, position: virtual, isMigration: false)
        let path = waits.map { "waits_for: \($0), " } ?? ""
        op(
            "enter_net: {id: \(id), gnode: [\(names[system])], into: \(names[into]), address: \(virtual), \(path)real: \(real)}"
        )
        if waits == nil {
            model.identities[created[0]].address = real.address(
                keepingLowerLevelsOf: model.identities[created[0]].address)
            op("dismiss: \(names[system])/\(id)")
            model.identities[old].isAlive = false
        }
    }

    /// Phase 2 of a waiting single-node entry: the real position, then the old identity goes.
    mutating func finishEntry(system: Int, id: String, real: GNodeAddress) {
        let identity = model.principal[system]
        model.identities[identity].address = real.address(keepingLowerLevelsOf: model.identities[identity].address)
        op("enter_net_phase_2: \(id)")
        if let old = model.identities.indices.first(where: {
            model.identities[$0].system == system && model.identities[$0].namespace == id
                && model.identities[$0].isAlive
        }) {
            op("dismiss: \(names[system])/\(id)")
            model.identities[old].isAlive = false
        }
    }

    /// A g-node (every identity of the network inside it) enters the network of `into` at once.
    mutating func enterGNode(
        _ gnode: GNodeAddress, of network: Int, named: Int, into: Int, position: GNodeAddress, real: GNodeAddress
    ) {
        entryCount += 1
        let id = "entr\(entryCount)"
        let members = model.members(of: network).filter { gnode.contains(model.identities[$0].address) }
            .sorted { model.identities[$0].system < model.identities[$1].system }
        let created = duplicate(
            members, level: gnode.level, namespace: id, network: model.network(of: into), position: position,
            isMigration: false)
        for new in created {
            model.identities[new].address = real.address(keepingLowerLevelsOf: model.identities[new].address)
        }
        op(
            "enter_net: {id: \(id), gnode: \(gnode), network: \(names[named]), into: \(names[into]), address: \(position), real: \(real)}"
        )
        op("dismiss: [" + members.map { "\(names[model.identities[$0].system])/\(id)" }.joined(separator: ", ") + "]")
        for member in members { model.identities[member].isAlive = false }
    }

    /// A g-node of the main network takes another position (outer arcs kept; `settle` may drop them later).
    mutating func migrate(_ gnode: GNodeAddress, virtual: GNodeAddress, real: GNodeAddress) -> String {
        migrationCount += 1
        let id = "migr\(migrationCount)"
        let members = model.members(of: main).filter { gnode.contains(model.identities[$0].address) }
        let created = duplicate(
            members, level: gnode.level, namespace: id, network: main, position: virtual, isMigration: true)
        for new in created {
            model.identities[new].address = real.address(keepingLowerLevelsOf: model.identities[new].address)
        }
        op(
            "migrate: {id: \(id), gnode: \(gnode), network: \(names[0]), address: \(virtual), real: \(real), outer_arcs: keep}"
        )
        pending += members
        return id
    }

    func label(_ identity: Int) -> String {
        let x = model.identities[identity]
        return x.namespace.map { "\(names[x.system])/\($0)" } ?? names[x.system]
    }

    /// Dismisses migration leftovers and drops their outer arcs when the network stays connected.
    mutating func settle(probability: Double) {
        for identity in pending where model.identities[identity].isAlive && random.chance(probability) {
            if model.isWellConnected(main, without: [identity]) {
                op("dismiss: \(label(identity))")
                model.identities[identity].isAlive = false
            } else {
                let x = model.identities[identity]
                let supported = model.gnode(x.address, level: min(x.connectivityLevel + 1, scheme.levels))
                let outer = model.members(of: main).filter {
                    model.areNeighbours(identity, $0) && !supported.contains(model.identities[$0].address)
                }
                guard !outer.isEmpty else { continue }
                var trial = model
                for peer in outer { trial.cuts.insert([min(identity, peer), max(identity, peer)]) }
                if trial.isWellConnected(main) {
                    model = trial
                    op("remove_outer_arcs: \(label(identity))")
                }
            }
        }
        pending = pending.filter { model.identities[$0].isAlive }
    }

    /// Removes one late arc when every g-node stays connected without it.
    mutating func removeOneArcIfSafe() {
        for pair in model.arcs.sorted(by: { $0.lexicographicallyPrecedes($1) }).shuffled(using: &random) {
            guard model.isWellConnected(main, arcsRemoved: [pair]) else { continue }
            var trial = model
            trial.arcs.remove(pair)
            guard trial.isWellConnected(main) else { continue }
            model = trial
            op("remove_arc: [\(names[pair[0]]), \(names[pair[1]])]")
            return
        }
    }
}
