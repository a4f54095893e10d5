public import Logging
public import PlanModel

/// Runs a plan on a fresh lab exactly as `testbed run` does (state model, schedule decision) and returns its report.
public enum PlanBench {
    /// Takes the lab down, brings it up, connects, observes every node, runs `plan`, closes the connections.
    /// Like the peers' timings, the timing starts once the lab is up: `setupSeconds` is connecting and observing,
    /// `RunReport.seconds` the run itself.
    /// - Throws: `LabError`, `InputError`, `NodeError` or `ScheduleDecision.Refusal`.
    public static func runFresh(
        plan: Plan, topology: Topology, choice: ScheduleDecision.Choice, stateCheck: StateCheckMode = .fail,
        transport: Fleet.LabTransport = .ssh, options: RunOptions = RunOptions(), root: String, logger: Logger
    ) async throws -> RunReport {
        try LabTeardown(paths: LabPaths(name: topology.name, root: root), logger: logger).down()
        _ = try LabBuilder(topology: topology, root: root, logger: logger).up()
        let start = ContinuousClock.now
        let (targets, _) = try Fleet.targets(for: topology, labTransport: transport, root: root, logger: logger)
        let (fleet, failures) = await Fleet.connect(targets, logger: logger)
        do {
            if let failure = failures.first { throw failure }
            let tracker = try await StateTracker.observe(fleet, mode: stateCheck)
            let decision = try ScheduleDecision.decide(
                choice, plan: plan, topology: topology, states: tracker.initialStates)
            let setup = start.secondsSince
            let engine = ExecutionEngine(
                plan: plan, topologyName: topology.name, schedule: decision.schedule, fleet: fleet, options: options,
                stop: StopSignal(), tracker: stateCheck == .off ? nil : tracker)
            let report = await engine.run(observers: [], setupSeconds: setup, journalPath: nil)
            await fleet.close()
            return report
        } catch {
            await fleet.close()
            throw error
        }
    }
}
