import ArgumentParser
import Foundation
import Logging
import Orchestrator
import PlanModel

/// What `run` and `replay` do once the plan is loaded: bring the lab up if needed, connect to every node,
/// observe their state, choose the schedule, run with reports, write JUnit, and turn the outcome into an exit code.
struct RunPipeline {
    let flags: RunFlags
    let topology: Topology
    let fresh: Bool
    let logger: Logger

    /// Runs `plan`; returns normally only when everything passed.
    /// - Throws: `ExitCode` for a failed (1), unreachable (3) or interrupted (130) run; input errors as they are.
    func run(_ plan: Plan) async throws {
        SignalSetup.ignoreSIGPIPE()
        if flags.dryRun {
            let choice = try ScheduleDecision.decide(
                flags.schedule, plan: plan, topology: topology, states: [:], from: flags.from, to: flags.to)
            Terminal.standardOutput.write(choice.note + "\n" + ScheduleReport.text(choice.schedule, plan: plan))
            return
        }
        let report = try await execute(plan)
        if let junit = flags.junit {
            try JUnitWriter.xml(report: report, plan: plan).write(toFile: junit, atomically: true, encoding: .utf8)
        }
        if report.interrupted { throw ExitCode(130) }
        if !report.succeeded { throw ExitCode(ExitCodes.failed) }
    }

    private func execute(_ plan: Plan) async throws -> RunReport {
        let setupStart = ContinuousClock.now
        if fresh && topology.usesLocalLab {
            let outcome = try LabTeardown(paths: LabPaths(name: topology.name), logger: logger).down()
            if outcome.wasUp { Terminal.standardError.write("lab '\(topology.name)' taken down for a fresh start\n") }
        }
        let (targets, origin) = try Fleet.targets(for: topology, labTransport: flags.transport, logger: logger)
        if case .labBroughtUp(let summary) = origin {
            Terminal.standardError.write(
                "lab '\(summary.name)' was not up: brought it up (\(summary.nodes.count) nodes)\n")
        }
        let (fleet, failures) = await Fleet.connect(targets, logger: logger)
        guard failures.isEmpty else {
            await fleet.close()
            for failure in failures { Terminal.standardError.write("\(failure)\n") }
            throw ExitCode(failures.allSatisfy { $0.isConnectionFailure } ? ExitCodes.connection : ExitCodes.failed)
        }
        let tracker: StateTracker
        let decision: ScheduleDecision
        do {
            tracker = try await StateTracker.observe(fleet, mode: flags.stateCheck)
            decision = try ScheduleDecision.decide(
                flags.schedule, plan: plan, topology: topology, states: tracker.initialStates, from: flags.from,
                to: flags.to)
        } catch {
            await fleet.close()
            throw error
        }
        Terminal.standardError.write(decision.note + "\n")
        let setup = setupStart.secondsSince
        let journalPath = journalLocation(origin: origin)
        var observers: [any RunObserver] = []
        let console = flags.json ? Terminal.standardError : Terminal.standardOutput
        observers.append(
            ConsoleReporter(output: console.fd, showsProgress: console.isTTY, usesColor: console.usesColor))
        if flags.json { observers.append(JSONLinesReporter(descriptor: 1)) }
        if let journal = try? JSONLinesReporter(journalPath: journalPath) { observers.append(journal) }
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        let engine = ExecutionEngine(
            plan: plan, topologyName: topology.name, schedule: decision.schedule, fleet: fleet,
            options: flags.runOptions, stop: stop, tracker: flags.stateCheck == .off ? nil : tracker)
        let report = await engine.run(observers: observers, setupSeconds: setup, journalPath: journalPath)
        withExtendedLifetime(interrupts) {}
        await fleet.close()
        return report
    }

    private func journalLocation(origin: Fleet.Origin) -> String {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let id = "\(stamp)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        if let runDir = flags.runDir { return "\(runDir)/\(id)/journal.jsonl" }
        if let summary = origin.labSummary {
            return LabPaths(name: summary.name).directory + "/runs/\(id)/journal.jsonl"
        }
        return FileManager.default.currentDirectoryPath + "/testbed-runs/\(id)/journal.jsonl"
    }
}
