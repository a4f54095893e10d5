import ArgumentParser
import Foundation
import Logging
import Orchestrator
import PlanModel
import TestbedBench

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure testbed on this machine against the ways people run these sequences, and print the figures.",
        discussion: """
            Suites: lab (lab up/down at 8 and --nodes nodes), lxd (image; LXD lab up/down at 8 and --provider-nodes \
            nodes on one member and on two; the demo on LXD against the namespace lab), qemu (image; three VMs to \
            SSH), agent (round trip through the agent vs one SSH exec \
            channel per block; connecting all nodes), demo (the demo plan per schedule), workload (the author's scenario \
            compiled by `testbed compile`, run by testbed and by its peers — OpenSSH per block, ControlMaster, \
            local nsenter with and without ip -batch — each on a fresh lab), scale (--scale N nodes: lab up/down, \
            connecting, one block fanned out to all, memory), scenarios (the scenario compiler: the author's scenario's \
            compile time and lines per operation; generated scenarios of --scenario-sizes systems, --scenario-seeds \
            seeds per scheme, compiled and checked offline; one of --scenario-run systems compiled and run on a \
            fresh lab), retry (what one attempt of a retried check costs, per kind \
            of check, with no pause and with the default 200 ms). Nothing is asserted; targets are printed with the \
            figures. Labs are built under TESTBED_HOME/bench and removed at the end.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(
        name: .long,
        help: "Comma-separated suites: lab, agent, demo, workload, scale, scenarios, lxd, qemu, retry, or all.")
    var suite = "lab,agent,demo,workload"
    @Option(name: .long, help: "Nodes of the generated topology for the lab suite.")
    var nodes = 100
    @Option(name: .long, help: "Nodes for the scale suite (runs the scale suite when given).")
    var scale: Int?
    @Option(name: .long, help: "Round trips through the agent.")
    var iterations = 1000
    @Option(name: .long, help: "Blocks run on a new exec channel each.")
    var execIterations = 100
    @Option(name: .long, help: "Repeats of each lab up/down and fan-out.")
    var repeats = 3
    @Option(name: .long, help: "Passes in a row each check of the retry suite must make.")
    var retryPasses = 50
    @Flag(name: .long, help: "In the workload suite, skip the slow OpenSSH one-connection-per-block peer.")
    var skipSlowPeers = false
    @Option(name: .long, help: "System counts of the generated scenarios of the scenarios suite.")
    var scenarioSizes = "8,20,50"
    @Option(name: .long, help: "Seeds per size and scheme in the scenarios suite.")
    var scenarioSeeds = 20
    @Option(name: .long, help: "Systems of the generated scenario the scenarios suite runs on a lab (0: none).")
    var scenarioRun = 50
    @Option(name: .long, help: "Nodes of the larger generated topology of the lxd suite.")
    var providerNodes = 50
    @Option(name: .long, help: "Write the generated workload plan to this file and stop.")
    var writeWorkload: String?

    var repository: String { FileManager.default.currentDirectoryPath }

    func validate() throws {
        do {
            _ = try BenchSuite.parse(suite)
        } catch {
            throw ValidationError(error.description)
        }
    }
    var benchRoot: String { LabPaths.defaultRoot + "/bench" }
    var scenarioPath: String { repository + "/topologies/netsukuku-poc/scenario.yaml" }

    func run() async throws {
        let logger = global.bootstrap()
        SignalSetup.ignoreSIGPIPE()
        if let writeWorkload {
            do {
                let poc = try TopologyLoader.load(path: repository + "/topologies/netsukuku-poc/topology.yaml")
                try WorkloadGenerator(scenarioPath: scenarioPath).yaml(topology: poc)
                    .write(toFile: writeWorkload, atomically: true, encoding: .utf8)
            } catch {
                throw ErrorReporting.report(error)
            }
            return
        }
        var suites: Set<BenchSuite>
        do {
            suites = try BenchSuite.parse(suite)
        } catch {
            throw ValidationError(error.description)
        }
        if scale != nil { suites.insert(.scale) }
        let out = Terminal.standardOutput
        do {
            try FileManager.default.createDirectory(atPath: benchRoot, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the bench directory \(benchRoot): \(error.localizedDescription)")
        }
        out.write(BenchReport.header())
        do {
            let poc = try TopologyLoader.load(path: repository + "/topologies/netsukuku-poc/topology.yaml")
            if suites.contains(.lab) {
                let large = try BenchTopology.segment(
                    name: "bench-\(nodes)", count: nodes, directory: benchRoot + "/topologies")
                let small = try LabBench.measure(topology: poc, root: benchRoot, repeats: repeats, logger: logger)
                let big = try LabBench.measure(topology: large, root: benchRoot, repeats: repeats, logger: logger)
                out.write(BenchReport.lab([small, big]))
            }
            if suites.contains(.agent) {
                let timing = try await AgentBench.measure(
                    topology: poc, root: benchRoot, iterations: iterations, execIterations: execIterations,
                    logger: logger)
                out.write(BenchReport.agent(timing))
            }
            if suites.contains(.demo) {
                let plan = try PlanLoader.load(path: repository + "/topologies/netsukuku-poc/demo.yaml", topology: poc)
                var reports: [RunReport] = []
                for choice in [ScheduleDecision.Choice.document, .auto] {
                    reports.append(
                        try await PlanBench.runFresh(
                            plan: plan, topology: poc, choice: choice, root: benchRoot, logger: logger))
                }
                out.write(BenchReport.demo(reports))
            }
            if suites.contains(.workload) { try await workload(topology: poc, logger: logger) }
            if suites.contains(.scenarios) { try await scenarios(topology: poc, logger: logger) }
            if suites.contains(.scale) {
                let figures = try await ScaleBench.measure(
                    nodes: scale ?? nodes, root: benchRoot, directory: benchRoot + "/topologies",
                    repeats: max(repeats, 10),
                    logger: logger)
                out.write(BenchReport.scale(figures))
            }
            if suites.contains(.lxd) { try await lxdSuite(poc: poc, logger: logger) }
            if suites.contains(.qemu) { try qemuSuite(logger: logger) }
            if suites.contains(.retry) { try await retrySuite(poc: poc, logger: logger) }
            out.write(String(format: "\npeak RSS of testbed: %.1f MB\n", ResourceUsage.peakResidentMegabytes))
        } catch {
            _ = try? Lab.downAll(root: benchRoot, logger: logger)
            throw ErrorReporting.report(error)
        }
        _ = try? Lab.downAll(root: benchRoot, logger: logger)
    }

    /// What one attempt of a retried check costs, with the policy polling every 1 ms and every 200 ms.
    private func retrySuite(poc: Topology, logger: Logger) async throws {
        let out = Terminal.standardOutput
        var rows: [(Int, [RetryBench.Row])] = []
        for interval in [1, 200] {
            let passes = interval == 1 ? retryPasses : max(retryPasses / 5, 2)
            rows.append(
                (
                    interval,
                    try await RetryBench.measure(
                        topology: poc, consecutive: passes, intervalMilliseconds: interval,
                        directory: benchRoot, root: benchRoot, logger: logger)
                ))
        }
        out.write(BenchReport.retry(rows))
    }

    private func scenarios(topology: Topology, logger: Logger) async throws {
        let out = Terminal.standardOutput
        let author = try ScenarioBench.author(path: scenarioPath, topology: topology, repeats: 20)
        out.write(BenchReport.scenarioAuthor(author))
        var rows: [ScenarioBench.GeneratedRow] = []
        for size in scenarioSizes.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            rows += ScenarioBench.generated(systems: size, seeds: 1...UInt64(max(1, scenarioSeeds)))
        }
        out.write(BenchReport.scenarioGenerated(rows))
        if scenarioRun > 1 {
            let figures = try await ScenarioBench.run(
                systems: scenarioRun, seed: 1, directory: benchRoot + "/scenarios", root: benchRoot, logger: logger)
            out.write(BenchReport.scenarioRun(figures))
        }
    }

    /// LXD: the image, lab up/down for 8 and --provider-nodes nodes on one member and on two, the demo on LXD
    /// nodes against the namespace lab.
    private func lxdSuite(poc: Topology, logger: Logger) async throws {
        let out = Terminal.standardOutput
        out.write(BenchReport.image(try ProviderBench.image(.lxd)))
        let sizes: [(Int, String)] = [
            (8, "lxd"), (8, "{kind: lxd, members: 2}"), (providerNodes, "lxd"),
            (providerNodes, "{kind: lxd, members: 2}"),
        ]
        let labs = try ProviderBench.labs(
            sizes: sizes, root: benchRoot, directory: benchRoot + "/topologies", logger: logger)
        out.write(BenchReport.providerLabs(labs, title: "LXD lab up / down (one run each)"))
        let demoPath = repository + "/topologies/netsukuku-poc/demo.yaml"
        let lxd = try TopologyLoader.load(path: repository + "/topologies/netsukuku-poc/topology-lxd.yaml")
        let onNamespaces = try await ProviderBench.demo(
            plan: try PlanLoader.load(path: demoPath, topology: poc), topology: poc, root: benchRoot, logger: logger)
        let onLXD = try await ProviderBench.demo(
            plan: try PlanLoader.load(path: demoPath, topology: lxd), topology: lxd, root: benchRoot, logger: logger)
        _ = try Lab.downAll(root: benchRoot, logger: logger)
        out.write(BenchReport.providerDemo([("namespace lab", onNamespaces), ("LXD containers", onLXD)]))
    }

    /// QEMU: the image, and lab up/down of three VMs.
    private func qemuSuite(logger: Logger) throws {
        let out = Terminal.standardOutput
        out.write(BenchReport.image(try ProviderBench.image(.qemu)))
        let three = try TopologyLoader.load(path: repository + "/topologies/three-vms/topology.yaml")
        var timing = try LabBench.measure(topology: three, root: benchRoot, repeats: 1, logger: logger)
        timing.lab = "qemu (\(ProviderBench.accelerator().uppercased()))"
        out.write(BenchReport.providerLabs([timing], title: "QEMU lab up (boot to SSH) / down"))
    }

    private func workload(topology: Topology, logger: Logger) async throws {
        let text = try WorkloadGenerator(scenarioPath: scenarioPath).yaml(topology: topology)
        let path = benchRoot + "/workload.yaml"
        try FileManager.default.createDirectory(atPath: benchRoot, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try PlanLoader.load(path: path, topology: topology)
        var rows: [BenchReport.WorkloadRow] = []
        let variants: [(String, ScheduleDecision.Choice, StateCheckMode, Bool, Bool)] = [
            ("testbed: auto schedule, state check after every block", .auto, .fail, true, true),
            ("testbed: the same, one ping request per reach check", .auto, .fail, false, false),
            ("testbed: document order, state checks", .document, .fail, false, true),
            ("testbed: auto schedule, no state checks", .auto, .off, false, true),
        ]
        var cpu: [String: Double] = [:]
        var unchecked: RunReport?
        for (name, choice, stateCheck, isMain, grouped) in variants {
            let cpuBefore = ResourceUsage.cpuSeconds
            var options = RunOptions()
            options.groupsReachChecks = grouped
            let report = try await PlanBench.runFresh(
                plan: plan, topology: topology, choice: choice, stateCheck: stateCheck, options: options,
                root: benchRoot, logger: logger)
            cpu[name] = ResourceUsage.cpuSeconds - cpuBefore
            if stateCheck == .off { unchecked = report }
            rows.append(
                .init(
                    name: name, seconds: report.seconds + report.setupSeconds,
                    failure: report.succeeded ? nil : "failed", isTestbed: true, isMain: isMain, report: report))
        }
        for peer in PeerBench.Peer.allCases where !(skipSlowPeers && peer == .opensshPerBlock) {
            let outcome = try PeerBench.run(peer, plan: plan, topology: topology, root: benchRoot, logger: logger)
            rows.append(
                .init(
                    name: peer.rawValue, seconds: outcome.seconds, failure: outcome.failure, isTestbed: false,
                    isMain: false, report: nil))
        }
        var breakdown: WorkloadBreakdown?
        if let main = rows.first(where: \.isMain), let report = main.report {
            breakdown = WorkloadBreakdown(plan: plan, report: report, withoutChecks: unchecked)
            breakdown?.testbedCPU = cpu[main.name]
        }
        Terminal.standardOutput.write(BenchReport.workload(rows, plan: plan, breakdown: breakdown))
    }
}
