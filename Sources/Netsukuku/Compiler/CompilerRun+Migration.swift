import PlanModel

extension CompilerRun {
    /// `migrate` (OP-12): OP-5 on every member, OP-6(a), OP-7 on the outside neighbours, OP-6(b) after them,
    /// the ETP of the old identities' connectivity addresses, OP-8, `add_qspn_arc` on the neighbours, the
    /// first ETPs, the removal of the outer arcs (unless kept) and OP-10 to the real position.
    mutating func migrate(_ spec: MigrationSpec) {
        let errorCount = errors.count
        guard let moving = resolve(spec.gnode, network: spec.network, level: spec.level, operationName: "migrate")
        else { return }
        let members = Set(moving.members)
        checkPosition(spec.address, level: moving.level, what: "'address'", exact: true)
        checkPosition(spec.real, level: moving.level, what: "'real'", exact: true)
        _ = checkFree(
            spec.address, in: moving.network, ignoring: members, what: "address",
            hint: "choose a position no identity of that network holds (a virtual id above the gsize is free)")
        if checkReal(spec.real, what: "the migration target") {
            _ = checkFree(
                spec.real, in: moving.network, ignoring: members, what: "migration target",
                hint: "a migration path ends in a free position; move its occupant first")
        }
        _ = checkNames(id: spec.id, namespace: spec.namespace, members: moving.members)
        guard errors.count == errorCount else { return }
        let addresses = moving.members.map {
            spec.address.value.address(keepingLowerLevelsOf: state.identities[$0].address)
        }
        let record = duplicate(
            moving.members, namespace: spec.namespace.value, level: moving.level, addresses: addresses,
            network: moving.network, nics: spec.nics, isMigration: true)
        let title = "\(spec.id.value): \(moving.gnode) migrates to \(spec.real.value)"
        let namespaces = emitNamespaces(record, title: title)
        let tables = emitTablesIntoNamespace(record, title: title, after: namespaces)
        let gateways = emitGatewayUpdates(record, title: title, after: tables)
        let cleanup = emitOldNamespaceCleanup(record, title: title, after: [tables, gateways])
        _ = cleanup
        propagate(announcements(from: record.old))
        let routes = emitNewRoutes(
            record, title: title, after: lastPhaseOfSystem[state.identities[record.new[0]].system])
        let arcs = emitNewQspnArcs(record.new, title: title, after: routes)
        _ = arcs
        propagate(firstETPs(to: record.new))
        if spec.removesOuterArcs { removeOuterArcs(of: record.old) }
        let changes = record.new.map {
            ($0, spec.real.value.address(keepingLowerLevelsOf: state.identities[$0].address))
        }
        let last = record.new.compactMap { lastPhaseOfSystem[state.identities[$0].system] }.max()
        changeAddresses(changes, title: "\(title): real position", after: last)
        propagate(announcements(from: record.new))
        migrationsDone.insert(spec.id.value)
    }
}
