import PlanModel

extension CompilerRun {
    /// `enter_net` phase 1 (OP-13): OP-5, OP-6, OP-8, OP-4 on the new identities and their neighbours;
    /// with a zero-step migration path also OP-10 at once and the ETPs that bring the new identities out of
    /// bootstrap. Otherwise the new identities wait for phase 2.
    mutating func enter(_ spec: EntrySpec) {
        let errorCount = errors.count
        guard let moving = resolve(spec.gnode, network: spec.network, level: spec.level, operationName: "enter_net")
        else { return }
        guard let target = network(of: spec.into.value) else {
            fail(
                .invalidValue, "system '\(spec.into.value)' is not started yet", at: spec.into.location,
                hint: "put '- init: [\(spec.into.value)]' before the entry")
            return
        }
        guard target != moving.network else {
            fail(
                .invalidValue,
                "'\(spec.into.value)' is in \(networkName(target)) already: the g-node \(moving.gnode) cannot enter its own network",
                at: spec.into.location, hint: "name a system of another network with 'into:'")
            return
        }
        checkPosition(spec.address, level: moving.level, what: "'address'")
        _ = checkFree(
            spec.address, in: target, what: "address",
            hint: "choose a position no identity of that network holds (a virtual id above the gsize is free)")
        if let real = spec.real {
            checkPosition(real, level: spec.address.value.level, what: "'real'", exact: true)
            if checkReal(real, what: "the real position"), spec.waitsFor.isEmpty {
                _ = checkFree(
                    real, in: target, what: "real position",
                    hint: "choose a free position, or wait for the migrations that free it with 'waits_for:'")
            }
        } else {
            fail(
                .missingKey, "'\(spec.id.value)' has no 'real' position for its phase 2", at: spec.id.location,
                hint: "give 'real:', the position its migration path frees")
        }
        for migration in spec.waitsFor where !isMigration(migration.value) {
            fail(
                .unknownReference, "'\(migration.value)' is not a migration of this scenario", at: migration.location,
                hint: "name the id of a 'migrate' operation: \(migrationIDs.joined(separator: ", "))")
        }
        _ = checkNames(id: spec.id, namespace: spec.namespace, members: moving.members)
        guard errors.count == errorCount else { return }
        let addresses = moving.members.map {
            spec.address.value.address(keepingLowerLevelsOf: state.identities[$0].address)
        }
        let record = duplicate(
            moving.members, namespace: spec.namespace.value, level: moving.level, addresses: addresses,
            network: target, nics: spec.nics, isMigration: false)
        let title = "\(spec.id.value): \(moving.gnode) of \(networkName(moving.network)) enters \(networkName(target))"
        let namespaces = emitNamespaces(record, title: title)
        let tables = emitTablesIntoNamespace(record, title: title, after: namespaces)
        let gateways = emitGatewayUpdates(record, title: title, after: tables)
        let cleanup = emitOldNamespaceCleanup(record, title: title, after: [tables, gateways])
        let routes = emitNewRoutes(record, title: title, after: cleanup)
        let arcs = emitNewQspnArcs(record.new, title: title, after: routes)
        if spec.waitsFor.isEmpty, let real = spec.real {
            let changes = record.new.map {
                ($0, real.value.address(keepingLowerLevelsOf: state.identities[$0].address))
            }
            changeAddresses(changes, title: "\(title): real position \(real.value)", after: arcs)
            propagate(firstETPs(to: record.new))
        } else {
            for id in record.new { state.identities[id].isWaiting = true }
        }
        entries[spec.id.value] = EntryRecord(
            newIdentities: record.new, real: spec.real, waitsFor: spec.waitsFor, isWaiting: !spec.waitsFor.isEmpty)
    }

    /// `enter_net_phase_2`: after the migration path, the waiting identities process their first ETPs, take
    /// their real position (OP-10), and their neighbours learn it.
    mutating func enterPhase2(_ id: Located<String>) {
        guard let entry = entries[id.value] else {
            fail(
                .unknownReference, "phase 2 of '\(id.value)' without its phase 1", at: id.location,
                hint: "put the 'enter_net' with 'id: \(id.value)' before its 'enter_net_phase_2'")
            return
        }
        guard entry.isWaiting, let real = entry.real else {
            fail(
                .invalidValue, "'\(id.value)' took its real position in phase 1 (zero-step path); it has no phase 2",
                at: id.location, hint: "remove this 'enter_net_phase_2', or give the entry 'waits_for:'")
            return
        }
        let missing = entry.waitsFor.filter { !migrationsDone.contains($0.value) }
        guard missing.isEmpty else {
            fail(
                .invalidValue, "phase 2 of '\(id.value)' comes before migration '\(missing[0].value)' of its path",
                at: id.location, hint: "phase 2 runs only after the last address change of its migration path")
            return
        }
        let network = state.identities[entry.newIdentities[0]].network
        guard
            checkFree(
                real, in: network, ignoring: Set(entry.newIdentities), what: "real position",
                hint: "its migration path must free it")
        else { return }
        for identity in entry.newIdentities { state.identities[identity].isWaiting = false }
        entries[id.value]?.isWaiting = false
        propagate(firstETPs(to: entry.newIdentities), forwarding: false)
        let changes = entry.newIdentities.map {
            ($0, real.value.address(keepingLowerLevelsOf: state.identities[$0].address))
        }
        changeAddresses(
            changes, title: "\(id.value) phase 2: real position \(real.value)",
            after: lastPhaseOfSystem[state.identities[changes[0].0].system])
        propagate(announcements(from: entry.newIdentities))
    }

    /// OP-4 for new identities: their tables for outside qspn-arc peers, then `add_qspn_arc` on those peers.
    mutating func emitNewQspnArcs(_ identities: [Int], title: String, after: Int?) -> Int? {
        var own: [(system: String, lines: [String])] = []
        var peers: [(system: String, lines: [String])] = []
        var pairs: [(Int, Int)] = []
        for id in identities {
            for index in state.arcIndices(of: id) where state.arcs[index].awaitsQspn {
                guard let peer = state.arcs[index].peer(of: id) else { continue }
                state.arcs[index].awaitsQspn = false
                state.arcs[index].isQspn = true
                pairs.append((id, peer))
            }
        }
        for (id, peer) in pairs {
            own.append((state.identities[id].system, createTable(owner: id, peer: peer)))
        }
        for id in identities {
            for peer in state.sortedBySystem(pairs.filter { $0.0 == id }.map(\.1)) {
                peers.append((state.identities[peer].system, createTable(owner: peer, peer: id)))
            }
        }
        let mine = emit(
            "\(operation)-qspn-arcs", "\(title): forwarding tables of the new identities", .forwardingTable, own,
            after: [after])
        return emit(
            "\(operation)-add-qspn-arc", "\(title): add_qspn_arc on the neighbours", .forwardingTable, peers,
            after: [mine ?? after])
            ?? mine
    }

    /// Every outside qspn-arc peer sends its ETP to each new identity (in the identities' arc order).
    func firstETPs(to identities: [Int]) -> [(Int, Int)] {
        let group = Set(identities)
        return identities.flatMap { id in state.qspnPeers(of: id).filter { !group.contains($0) }.map { ($0, id) } }
    }

    /// Identities tell every qspn-arc peer of a change.
    func announcements(from identities: [Int]) -> [(Int, Int)] {
        identities.flatMap { id in state.qspnPeers(of: id).map { (id, $0) } }
    }

    var migrationIDs: [String] {
        scenario.operations.compactMap { if case .migrate(let spec) = $0.kind { spec.id.value } else { nil } }
    }

    func isMigration(_ id: String) -> Bool { migrationIDs.contains(id) }

    /// A position's level: at least the moving g-node's (or exactly a given one).
    mutating func checkPosition(_ position: Located<GNodeAddress>, level: Int, what: String, exact: Bool = false) {
        let actual = position.value.level
        if exact ? actual != level : actual < level {
            fail(
                .invalidValue,
                "\(what) \(position.value) is a g-node of level \(actual); \(exact ? "it must be of level" : "the moving g-node has level") \(level)",
                at: position.location,
                hint: exact
                    ? "write it with as many ids as 'address'" : "a g-node takes a position of its own level or above")
        }
    }
}
