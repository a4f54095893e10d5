public import ArgumentParser
import Foundation
import Logging
import Orchestrator
public import PlanModel

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a plan on every node of a topology in the right cross-node order, checking every step.",
        discussion: """
            A local topology runs on its lab (brought up first if it is not). Exit codes: 0 all steps and checks \
            passed, 1 a step or check failed, 2 invalid input, 3 a node could not be reached, 130 interrupted.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(help: "The plan: a YAML plan.")
    var plan: String
    @Option(name: .long, help: "document: the plan's order exactly; parallel: nodes run concurrently between barriers.")
    var schedule: Schedule.Mode = .document
    @Flag(name: .long, help: "Print the schedule and stop, without connecting.")
    var dryRun = false
    @Flag(name: .long, help: "After a failure, go on with the nodes that did not fail.")
    var keepGoing = false
    @Option(name: .long, help: "Start at this step (id or number).")
    var from: String?
    @Option(name: .long, help: "Stop after this step (id or number).")
    var to: String?
    @Flag(name: .long, help: "Print events as JSON lines on stdout (the summary goes to stderr).")
    var json = false
    @Option(name: .long, help: "Write JUnit XML here.")
    var junit: String?
    @Option(name: .long, help: "For lab nodes: ssh (default) or local (nsenter, no SSH).")
    var transport: Fleet.LabTransport = .ssh
    @Option(name: .long, help: "Seconds a block may run before it is stopped.")
    var blockTimeout: Double = 300
    @Option(name: .long, help: "Directory for the run journal (default: under the lab, or ./testbed-runs).")
    var runDir: String?
    @Flag(name: .long, help: "Take the lab down and bring it up again first, so the plan starts on fresh nodes.")
    var fresh = false
    @Flag(name: .long, help: "Run every ip command on its own instead of batching consecutive ones with ip -batch.")
    var noBatch = false

    func run() async throws {
        let logger = global.bootstrap()
        SignalSetup.ignoreSIGPIPE()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let loaded = try PlanLoader.load(path: plan, topology: topology)
            let schedule = try Schedule.make(for: loaded, mode: self.schedule, from: from, to: to)
            if dryRun {
                Terminal.standardOutput.write(ScheduleReport.text(schedule, plan: loaded))
                return
            }
            let report = try await execute(loaded, schedule: schedule, topology: topology, logger: logger)
            if let junit {
                try JUnitWriter.xml(report: report, plan: loaded).write(toFile: junit, atomically: true, encoding: .utf8)
            }
            if report.interrupted { throw ExitCode(130) }
            if !report.succeeded { throw ExitCode(ExitCodes.failed) }
        } catch {
            throw ErrorReporting.report(error)
        }
    }

    private func execute(_ plan: Plan, schedule: Schedule, topology: Topology, logger: Logger) async throws -> RunReport {
        let setupStart = ContinuousClock.now
        if fresh && topology.usesLocalLab {
            let outcome = try LabTeardown(paths: LabPaths(name: topology.name), logger: logger).down()
            if outcome.wasUp { Terminal.standardError.write("lab '\(topology.name)' taken down for a fresh start\n") }
        }
        let (targets, origin) = try Fleet.targets(for: topology, labTransport: transport, logger: logger)
        if case .labBroughtUp(let summary) = origin {
            Terminal.standardError.write("lab '\(summary.name)' was not up: brought it up (\(summary.nodes.count) nodes)\n")
        }
        let (fleet, failures) = await Fleet.connect(targets, logger: logger)
        guard failures.isEmpty else {
            await fleet.close()
            for failure in failures { Terminal.standardError.write("\(failure)\n") }
            throw ExitCode(failures.allSatisfy { $0.isConnectionFailure } ? ExitCodes.connection : ExitCodes.failed)
        }
        let setup = ContinuousClock.now - setupStart
        let journalPath = journalLocation(origin: origin)
        var observers: [any RunObserver] = []
        let console = json ? Terminal.standardError : Terminal.standardOutput
        observers.append(ConsoleReporter(output: console.fd, showsProgress: console.isTTY, usesColor: console.usesColor))
        if json { observers.append(JSONLinesReporter(descriptor: 1)) }
        if let journal = try? JSONLinesReporter(journalPath: journalPath) { observers.append(journal) }
        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        let engine = ExecutionEngine(
            plan: plan, topologyName: topology.name, schedule: schedule, fleet: fleet,
            options: RunOptions(
                keepGoing: keepGoing, blockTimeout: .milliseconds(Int(blockTimeout * 1000)), batching: !noBatch),
            stop: stop)
        let seconds = Double(setup.components.seconds) + Double(setup.components.attoseconds) / 1e18
        let report = await engine.run(observers: observers, setupSeconds: seconds, journalPath: journalPath)
        withExtendedLifetime(interrupts) {}
        await fleet.close()
        return report
    }

    private func journalLocation(origin: Fleet.Origin) -> String {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let id = "\(stamp)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        if let runDir { return "\(runDir)/\(id)/journal.jsonl" }
        if let summary = origin.labSummary { return LabPaths(name: summary.name).directory + "/runs/\(id)/journal.jsonl" }
        return FileManager.default.currentDirectoryPath + "/testbed-runs/\(id)/journal.jsonl"
    }
}

extension Schedule.Mode: ExpressibleByArgument {}

/// `--dry-run`: the schedule, stage by stage.
enum ScheduleReport {
    static func text(_ schedule: Schedule, plan: Plan) -> String {
        var text = "schedule: \(schedule.mode.rawValue) order, \(schedule.stages.count) stages, \(schedule.units.count) units\n"
        for (index, stage) in schedule.stages.enumerated() {
            let kind = stage.isBarrier ? " (barrier)" : ""
            text += "stage \(index + 1)\(kind):\n"
            for unit in stage.units {
                let step = plan.steps[unit.stepIndex]
                var line = "  \(step.id.padding(toLength: 14, withPad: " ", startingAt: 0)) \(unit.node.padding(toLength: 8, withPad: " ", startingAt: 0))"
                switch step.action {
                case .blocks(let blocks):
                    let block = blocks[unit.blockIndex ?? 0]
                    line += " \(block.commands.count) commands\(block.netns.map { " in \($0)" } ?? "")  \(block.location.fileAndLine)"
                case .reach(let check):
                    line += " reach \(check.expectation.rawValue): \(check.targets.map(\.description).joined(separator: " "))"
                case .expect:
                    line += " expect"
                }
                text += line + "\n"
            }
        }
        return text
    }
}
