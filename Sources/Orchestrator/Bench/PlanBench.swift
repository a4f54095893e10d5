public import Logging
public import PlanModel

/// Runs a plan on a fresh lab and returns its report (wall time, per-unit overhead).
public enum PlanBench {
    /// Takes the lab down, brings it up, connects, runs `plan` with `mode`, and closes the connections.
    /// - Throws: `LabError`, `InputError` or `NodeError`.
    public static func runFresh(
        plan: Plan, topology: Topology, mode: Schedule.Mode, transport: Fleet.LabTransport = .ssh,
        options: RunOptions = RunOptions(), root: String, logger: Logger
    ) async throws -> RunReport {
        try LabTeardown(paths: LabPaths(name: topology.name, root: root), logger: logger).down()
        let start = ContinuousClock.now
        let (targets, _) = try Fleet.targets(for: topology, labTransport: transport, root: root, logger: logger)
        let (fleet, failures) = await Fleet.connect(targets, logger: logger)
        if let failure = failures.first {
            await fleet.close()
            throw failure
        }
        let setup = start.secondsSince
        let engine = ExecutionEngine(
            plan: plan, topologyName: topology.name, schedule: try Schedule.make(for: plan, mode: mode), fleet: fleet,
            options: options, stop: StopSignal())
        let report = await engine.run(observers: [], setupSeconds: setup, journalPath: nil)
        await fleet.close()
        return report
    }
}
