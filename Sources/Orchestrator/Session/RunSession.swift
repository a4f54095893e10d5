import Foundation
public import Logging
public import PlanModel

/// The run use case, the one way a plan gets run (`run`, `replay`, the bench): open the run's journal, take
/// a lab down when asked for a fresh start, resolve and connect every node (bringing a local lab up when it
/// is not), observe each node's kernel state, decide the schedule, run the engine with the observers, close
/// every connection, write the JUnit report.
public struct RunSession: Sendable {
    public let topology: Topology
    public let plan: Plan
    public let settings: RunSettings
    public let logger: Logger
    /// Lines for the person running it (a lab brought up, the schedule chosen), said as they happen.
    public var notices: @Sendable (String) -> Void = { _ in }

    public init(topology: Topology, plan: Plan, settings: RunSettings, logger: Logger) {
        self.topology = topology
        self.plan = plan
        self.settings = settings
        self.logger = logger
    }

    /// The schedule the run would use, decided without connecting (the state model starts from fresh nodes).
    /// - Throws: `InputError` for an unknown `--from`/`--to` step; `ScheduleDecision.Refusal`.
    public func preview() throws -> ScheduleDecision {
        try ScheduleDecision.decide(
            settings.schedule, plan: plan, topology: topology, states: [:], from: settings.from, to: settings.to)
    }

    /// Runs the plan and returns its report (also when a unit failed or the run was interrupted).
    /// - Throws: `SessionError` (journal), `LabError`, `FleetError` (nodes that could not be reached),
    ///   `NodeError`/`StateParsingError` (observing the nodes), `InputError`, `ScheduleDecision.Refusal` — all
    ///   before the first unit runs; nothing is left connected.
    public func run(observers: [any RunObserver], stop: StopSignal) async throws -> RunReport {
        // One run per lab or cluster at a time, held to the end; then the run to resume, read before anything.
        let lock = try RunLock.acquire(
            topology: topology.name, stateRoot: settings.stateRoot, holder: "plan \(plan.sourcePath)")
        defer { withExtendedLifetime(lock) {} }
        let sourceStart = ContinuousClock.now
        let source = try resumeSource()
        logger.debug(
            "run: took the lock and read the run to resume in \(String(format: "%.3f s", sourceStart.secondsSince))")
        // Checked first: a run that cannot keep its journal must not touch any node.
        let (directory, journal) = try RunDirectory.create(for: topology, settings: settings, stop: stop)
        var recordedStart = false
        defer { if !recordedStart { directory.discardIfUnstarted(namedByTestbed: settings.runDirectory == nil) } }
        let resolved = try resolveTargets()
        let connectStart = ContinuousClock.now
        let captures = try startCaptures(resolved.origin, directory: directory)
        let fleet: Fleet
        do {
            fleet =
                resolved.isReachedOverNetwork
                ? try await Preflight.connect(resolved.targets, topology: topology, plan: plan, logger: logger)
                : try await Fleet.connectAll(resolved.targets, logger: logger)
        } catch {
            captures?.stop()
            throw error
        }
        logger.debug("run: connected in \(String(format: "%.3f s", connectStart.secondsSince))")
        let report: RunReport
        do {
            let (tracker, decision, resumePoint) = try await observeAndDecide(
                fleet, resolved: resolved, source: source, directory: directory)
            let checking = settings.stateCheck == .off ? nil : tracker
            notices(decision.note)
            journal.describe(
                .init(
                    topology: topology, initialStates: fleet.order.compactMap { tracker.initialStates[$0] },
                    captures: captures?.files ?? [], resume: resumePoint))
            recordedStart = true
            logger.debug(
                """
                run: ready to start units \(String(format: "%.3f s", connectStart.secondsSince)) after connecting, \
                \(String(format: "%.3f s", sourceStart.secondsSince)) after taking the lock
                """)
            var options = settings.options
            options.runID = directory.id
            options.outputDirectory = directory.path
            let services = ServiceRegistry()
            let faults = makeFaults(resolved, fleet: fleet, services: services)
            let engine = ExecutionEngine(
                plan: plan, topologyName: topology.name, schedule: decision.schedule, channels: fleet.channels,
                order: fleet.order, options: options, stop: stop, tracker: checking,
                services: services, resume: resumePoint, faults: faults)
            let everyone: [any RunObserver] = [journal] + observers
            var finished = await engine.run(
                observers: everyone, setupSeconds: connectStart.secondsSince, journalPath: directory.journalPath,
                journalFailure: { journal.failure })
            // Services are stopped and their logs collected whatever happened; then everyone sees the end.
            finished.services = await ServiceCollector.finish(
                services, channels: fleet.channels, runID: options.runID, directory: directory.path)
            finished.healedFaults = await healFaults(faults)
            finished.journalFailure = journal.failure
            for observer in everyone { observer.handle(.finished(finished)) }
            report = finished
        } catch {
            captures?.stop()
            await fleet.close()
            throw error
        }
        captures?.stop()
        await fleet.close()
        try writeJUnit(report, journalPath: directory.journalPath)
        try writeHTML(journalPath: directory.journalPath)
        return report
    }

    /// Refuses a plan whose commands would take a node's SSH path away, before anything runs.
    /// - Throws: `ManagementPathError` with every such command.
    func checkManagementPaths(_ fleet: Fleet, states: [NodeName: NodeState]) async throws {
        var paths: [NodeName: ManagementPath] = [:]
        for (name, connection) in fleet.connections {
            if let path = await connection.managementPath { paths[name] = path }
        }
        let problems = ManagementPathCheck.problems(plan: plan, states: states, paths: paths) { file in
            (try? String(contentsOfFile: file, encoding: .utf8)).map { SourceText(path: file, text: $0) }
        }
        if !problems.isEmpty { throw ManagementPathError(diagnostics: problems) }
    }

    /// Resolves every node's target: a local lab is taken down first for a fresh start and brought up when it
    /// is not up, under its lock.
    private func resolveTargets() throws -> NodeTargets {
        // Faults an earlier run left on a lab go with it; a resume continues on the nodes as they are (a lab
        // that is down lost the run's state).
        if settings.fresh {
            for line in FaultInjector.forgetLab(topology: topology.name, stateRoot: settings.stateRoot) {
                notices(line)
            }
        }
        let resolved = try NodeTargets.resolve(
            topology, labTransport: settings.labTransport, bringUp: settings.resume == nil, fresh: settings.fresh,
            root: settings.stateRoot, logger: logger)
        if case .labBroughtUp(let summary, let seconds) = resolved.origin {
            let how = settings.fresh ? "brought up fresh" : "was not up: brought it up"
            notices(
                "lab '\(summary.name)' \(how) (\(summary.nodes.count) nodes, " + String(format: "%.2f s)", seconds))
        }
        for notice in resolved.notices { notices(notice) }
        return resolved
    }
}
