import ArgumentParser
import Foundation
import Logging
import Orchestrator
import PlanModel

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure testbed on this machine and print the figures (nothing is asserted).",
        discussion: """
            Suites: lab (lab up/down at 8 and --nodes nodes), agent (round trip through the agent vs one SSH exec \
            channel per block, connecting all nodes), demo (the demo plan in document and parallel order). \
            Labs are built under TESTBED_HOME/bench and removed at the end.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Comma-separated suites to run: lab, agent, demo, or all.")
    var suite = "all"
    @Option(name: .long, help: "Nodes of the generated topology for the lab suite.")
    var nodes = 100
    @Option(name: .long, help: "Round trips through the agent.")
    var iterations = 1000
    @Option(name: .long, help: "Blocks run on a new exec channel each.")
    var execIterations = 100
    @Option(name: .long, help: "Repeats of each lab up/down.")
    var repeats = 3
    @Option(name: .long, help: "Write the generated workload plan to this file and stop.")
    var writeWorkload: String?

    var repository: String { FileManager.default.currentDirectoryPath }
    var benchRoot: String { LabPaths.defaultRoot + "/bench" }

    func run() async throws {
        let logger = global.bootstrap()
        SignalSetup.ignoreSIGPIPE()
        if let writeWorkload {
            try WorkloadGenerator().yaml().write(toFile: writeWorkload, atomically: true, encoding: .utf8)
            return
        }
        let suites = Set(suite.split(separator: ",").map(String.init))
        let all = suites.contains("all")
        let out = Terminal.standardOutput
        out.write(BenchReport.header())
        do {
            let poc = try TopologyLoader.load(path: repository + "/topologies/netsukuku-poc/topology.yaml")
            if all || suites.contains("lab") {
                let scale = try BenchTopology.segment(name: "bench-\(nodes)", count: nodes, directory: benchRoot + "/topologies")
                let small = try LabBench.measure(topology: poc, root: benchRoot, repeats: repeats, logger: logger)
                let large = try LabBench.measure(topology: scale, root: benchRoot, repeats: repeats, logger: logger)
                out.write(BenchReport.lab([small, large]))
            }
            if all || suites.contains("agent") {
                let timing = try await AgentBench.measure(
                    topology: poc, root: benchRoot, iterations: iterations, execIterations: execIterations, logger: logger)
                out.write(BenchReport.agent(timing))
            }
            if all || suites.contains("demo") {
                let plan = try PlanLoader.load(path: repository + "/topologies/netsukuku-poc/demo.yaml", topology: poc)
                var reports: [RunReport] = []
                for mode in Schedule.Mode.allCases {
                    reports.append(try await PlanBench.runFresh(plan: plan, topology: poc, mode: mode, root: benchRoot, logger: logger))
                }
                out.write(BenchReport.demo(reports))
            }
            out.write(String(format: "peak RSS of testbed: %.1f MB\n", ResourceUsage.peakResidentMegabytes))
        } catch {
            _ = try? Lab.downAll(root: benchRoot, logger: logger)
            throw ErrorReporting.report(error)
        }
        _ = try? Lab.downAll(root: benchRoot, logger: logger)
    }
}

/// The text of `testbed bench`.
enum BenchReport {
    static func header() -> String {
        let kernel = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return "testbed bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, Linux \(kernel), \(Date().formatted(.iso8601))\n"
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
    static func s(_ seconds: Double) -> String { String(format: "%.2f s", seconds) }
    static func mark(_ ok: Bool) -> String { ok ? "met" : "MISSED" }

    static func lab(_ timings: [LabBench.Timing]) -> String {
        var text = "\n== lab up / down (median of \(timings.first?.up.count ?? 0))\n"
        text += "lab                 nodes      up        down     target\n"
        for timing in timings {
            let target =
                timing.nodes <= 8
                ? "up < 1.5 s: \(mark(timing.up.median < 1.5))"
                : "up < 10 s: \(mark(timing.up.median < 10)), down < 5 s: \(mark(timing.down.median < 5))"
            text += timing.lab.padding(toLength: 18, withPad: " ", startingAt: 0)
            text += String(format: "%6d  %8@  %8@    ", timing.nodes, s(timing.up.median), s(timing.down.median)) + target + "\n"
        }
        return text
    }

    static func agent(_ timing: AgentBench.Timing) -> String {
        var text = "\n== agent round trip (trivial block `true`)\n"
        text += "connect all \(timing.nodes) nodes in parallel (SSH + agent + hello): median \(ms(timing.connectAll.median)), "
        text += "max \(ms(timing.connectAll.percentile(100)))\n"
        let rows: [(String, Samples)] = [
            ("agent over SSH (one long-lived channel)", timing.agentRoundTrip),
            ("agent via nsenter (no SSH)", timing.localRoundTrip),
            ("new SSH exec channel per block", timing.execChannel),
        ]
        for (name, samples) in rows {
            text += name.padding(toLength: 42, withPad: " ", startingAt: 0)
            text += "median \(ms(samples.median))  p99 \(ms(samples.percentile(99)))  (n=\(samples.count))\n"
        }
        let ratio = timing.execChannel.median / max(timing.agentRoundTrip.median, 1e-9)
        text += String(format: "exec channel / agent: %.0f× (target ≥ 30×: %@); agent median < 2 ms: %@\n",
            ratio, mark(ratio >= 30), mark(timing.agentRoundTrip.median < 0.002))
        return text
    }

    static func demo(_ reports: [RunReport]) -> String {
        var text = "\n== demo plan (topologies/netsukuku-poc/demo.yaml, fresh lab each run)\n"
        text += "schedule    result   units   wall      connect   overhead per unit\n"
        for report in reports {
            text += report.schedule.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
            text += (report.succeeded ? "passed" : "FAILED").padding(toLength: 9, withPad: " ", startingAt: 0)
            text += String(format: "%5d   %-8@  %-8@  %@\n", report.results.count, s(report.seconds), s(report.setupSeconds), ms(report.overheadPerUnit))
        }
        return text
    }
}
