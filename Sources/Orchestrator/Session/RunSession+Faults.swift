import PlanModel

extension RunSession {
    /// The fault injector of this run: the lab's switch and node processes, or the remote nodes' own tools.
    func makeFaults(_ resolved: NodeTargets, fleet: Fleet, services: ServiceRegistry) -> FaultInjector {
        let place: FaultInjector.Place =
            resolved.origin.labSummary.map {
                .lab($0, nsenter: ProcessEnvironment.which("nsenter") ?? "/usr/bin/nsenter")
            }
            ?? .remote
        return FaultInjector(
            topology: topology, place: place,
            ledger: FaultLedger(topology: topology.name, stateRoot: settings.stateRoot),
            channels: fleet.channels, services: services)
    }

    /// At the end of every run (passed, failed, interrupted): every fault still in place is healed, the earlier
    /// run's too when this one resumed it.
    func healFaults(_ faults: FaultInjector) async -> [String] {
        guard settings.healFaultsAtEnd, !faults.ledger.entries().isEmpty else { return [] }
        let healed = await faults.heal()
        for line in healed { notices(line) }
        return healed
    }
}
