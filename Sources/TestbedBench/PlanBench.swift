public import Logging
public import Orchestrator
public import PlanModel

/// Runs a plan on a fresh lab exactly as `testbed run` does: through the run session.
public enum PlanBench {
    /// Takes the lab down, brings it up, then runs `plan` through `RunSession`. Like the peers' timings, the
    /// run's own timing starts once the lab is up: `setupSeconds` is connecting and observing, `seconds` the run.
    /// - Throws: what `RunSession.run` throws.
    public static func runFresh(
        plan: Plan, topology: Topology, choice: ScheduleDecision.Choice, stateCheck: StateCheckMode = .fail,
        transport: Fleet.LabTransport = .ssh, options: RunOptions = RunOptions(), root: String, logger: Logger
    ) async throws -> RunReport {
        try LabTeardown(paths: LabPaths(name: topology.name, root: root), logger: logger).down()
        _ = try LabBuilder(topology: topology, root: root, logger: logger).up()
        var settings = RunSettings()
        settings.schedule = choice
        settings.stateCheck = stateCheck
        settings.labTransport = transport
        settings.options = options
        settings.stateRoot = root
        let session = RunSession(topology: topology, plan: plan, settings: settings, logger: logger)
        return try await session.run(observers: [], stop: StopSignal())
    }
}
