import Foundation
import Orchestrator
import PlanModel
import TestbedBench

/// The text of `testbed bench`: figures with the targets they are measured against.
enum BenchReport {
    static func header() -> String {
        let kernel =
            (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?"
        return "testbed bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, Linux \(kernel), "
            + "load \(load), \(Date().formatted(.iso8601))\n"
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
    static func s(_ seconds: Double) -> String { String(format: "%.2f s", seconds) }
    static func met(_ ok: Bool) -> String { ok ? "met" : "MISSED" }
    static func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }

    static func lab(_ timings: [LabBench.Timing]) -> String {
        var text = "\n== lab up / down (median of \(timings.first?.up.count ?? 0))\n"
        text += pad("lab", 18) + pad("nodes", 7) + pad("up", 10) + pad("down", 10) + "target\n"
        for timing in timings {
            let target =
                timing.nodes <= 8
                ? "up < 1.5 s: \(met(timing.up.median < 1.5))"
                : "up < 10 s: \(met(timing.up.median < 10)), down < 3 s: \(met(timing.down.median < 3))"
            text += pad(timing.lab, 18) + pad("\(timing.nodes)", 7) + pad(s(timing.up.median), 10)
            text += pad(s(timing.down.median), 10) + target + "\n"
        }
        return text
    }

    static func agent(_ timing: AgentBench.Timing) -> String {
        var text = "\n== agent round trip (trivial block `true`, lab node)\n"
        text += "connect all \(timing.nodes) nodes in parallel (SSH handshake + agent + hello): median "
        text += "\(ms(timing.connectAll.median)), max \(ms(timing.connectAll.percentile(100)))\n"
        let rows: [(String, Samples)] = [
            ("agent over SSH (one long-lived channel)", timing.agentRoundTrip),
            ("agent via nsenter (no SSH)", timing.localRoundTrip),
            ("new SSH exec channel per block", timing.execChannel),
        ]
        for (name, samples) in rows {
            text +=
                pad(name, 42)
                + "median \(ms(samples.median))  p99 \(ms(samples.percentile(99)))  (n=\(samples.count))\n"
        }
        let ratio = timing.execChannel.median / max(timing.agentRoundTrip.median, 1e-9)
        text += String(
            format: "exec channel / agent: %.1f× (target ≥ 30×: %@); agent median < 2 ms: %@\n", ratio,
            met(ratio >= 30),
            met(timing.agentRoundTrip.median < 0.002))
        text +=
            "  (an exec channel's cost is mostly the node's login shell; lab nodes have an empty home, so no rc files run)\n"
        return text
    }

    static func demo(_ reports: [RunReport]) -> String {
        var text = "\n== demo plan (topologies/netsukuku-poc/demo.yaml, fresh lab each run, state checks on)\n"
        text +=
            pad("schedule", 12) + pad("result", 9) + pad("units", 7) + pad("run", 10) + pad("setup", 10)
            + "overhead per unit\n"
        for report in reports {
            text += pad(report.schedule.rawValue, 12) + pad(report.succeeded ? "passed" : "FAILED", 9)
            text += pad("\(report.results.count)", 7) + pad(s(report.seconds), 10) + pad(s(report.setupSeconds), 10)
            text += (report.schedule == .document ? ms(report.overheadPerUnit) : "n/a (units overlap)") + "\n"
        }
        return text
    }

    struct WorkloadRow {
        var name: String
        var seconds: Double
        var failure: String?
        var isTestbed: Bool
        var isMain: Bool
        var report: RunReport?
    }

    static func workload(_ rows: [WorkloadRow], plan: Plan, breakdown: WorkloadBreakdown?) -> String {
        let counts = plan.counts
        let ipLines = plan.steps.flatMap(\.blocks).flatMap(\.commands).filter { $0.text.hasPrefix("ip ") }.count
        let pings = plan.steps.reduce(0) { total, step in
            if case .reach(let check) = step.action { total + check.targets.count } else { total }
        }
        var text =
            "\n== workload: \(counts.blocks) blocks, \(counts.checks) checks, \(ipLines) ip lines, \(pings) pings"
        text += " (fresh lab each run; times include connecting)\n"
        text += pad("runner", 56) + pad("wall", 10) + "testbed / runner\n"
        let main = rows.first { $0.isMain }
        for row in rows {
            var line = pad(row.name, 56) + pad(s(row.seconds), 10)
            if let main, !row.isMain { line += String(format: "%.3f", main.seconds / max(row.seconds, 1e-9)) }
            if let failure = row.failure { line += "  (did not finish: \(failure))" }
            text += line + "\n"
        }
        guard let main, let report = main.report else { return text }
        text += "testbed schedule \(report.schedule.rawValue); "
        text += "\(report.passed) of \(report.results.count) units passed\n"
        text += "target ≤ 2.0 s with a state check after every block: \(s(main.seconds)) (\(met(main.seconds <= 2)))\n"
        for (peer, target) in [(PeerBench.Peer.opensshControlMaster, 20.0), (.localNsenter, 7.0)] {
            guard let row = rows.first(where: { $0.name == peer.rawValue }), row.failure == nil else { continue }
            let speedup = row.seconds / max(main.seconds, 1e-9)
            text += String(
                format: "target ≥ %.0f× faster than %@: %.1f× (%@)\n", target, peer.rawValue, speedup,
                met(speedup >= target))
        }
        if let breakdown { text += self.breakdown(breakdown) }
        return text
    }

    static func breakdown(_ b: WorkloadBreakdown) -> String {
        var text = "where the main run's time went (sums over units; nodes run in parallel, so sums exceed the wall"
        text += " time of \(s(b.wallSeconds)) + \(s(b.setupSeconds)) connecting and observing):\n"
        text += "  agent round trips   \(b.roundTrips) requests, \(s(b.roundTripSeconds)) summed\n"
        text += "  blocks on the nodes \(b.blocks) blocks, \(s(b.blockSeconds)) summed; "
        text += "\(b.ipProcesses) ip processes for \(b.ipLines) ip lines, "
        text += "\(b.iptablesProcesses) iptables processes for \(b.iptablesLines) iptables lines\n"
        text += "  pings               \(b.pings) addresses in \(b.checks) checks, \(b.pingRequests) ping requests, "
        text += "\(s(b.pingSeconds)) summed\n"
        let kinds = b.stateQueryKinds.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
        text += "  state probes        \(b.stateQueries) queries"
        if !kinds.isEmpty { text += " (\(kinds.joined(separator: ", ")))" }
        text += "; round trip minus block \(s(b.outsideBlockSeconds))"
        if let without = b.outsideBlockWithoutChecks {
            text += ", \(s(without)) without state checks: the dumps cost ≈ \(s(b.outsideBlockSeconds - without))"
        }
        text += "\n  model prediction    \(s(b.predictionSeconds)) predicting, \(s(b.judgementSeconds)) judging\n"
        if let cpu = b.testbedCPU {
            text += "  engine              testbed's own CPU \(s(cpu)) (all threads, lab bring-up included)\n"
        }
        return text
    }

    static func scale(_ figures: ScaleBench.Figures) -> String {
        var text = "\n== scale: \(figures.nodes) nodes on one segment\n"
        text += "lab up \(s(figures.up)) (target < 10 s: \(met(figures.up < 10))), "
        text += "lab down \(s(figures.down)) (target < 3 s: \(met(figures.down < 3))), "
        text += "leftovers after down: \(figures.leftovers) (target 0: \(met(figures.leftovers == 0)))\n"
        text += "connect to all \(figures.nodes) nodes over SSH: \(s(figures.connect)) "
        text += "(target < 5 s: \(met(figures.connect < 5)))\n"
        text += "one block fanned out to all nodes (n=\(figures.fanOut.count) each):\n"
        text += "  `true` (agent and transport only): median \(ms(figures.fanOutTrivial.median)), "
        text += "p99 \(ms(figures.fanOutTrivial.percentile(99)))\n"
        text += "  `ip -br address show dev eth1` (one process per node): median \(ms(figures.fanOut.median)), "
        text += "p99 \(ms(figures.fanOut.percentile(99)))\n"
        if let hundred = figures.fanOutTrivialHundred {
            text += "  `true` to 100 of them: median \(ms(hundred.median)), p99 \(ms(hundred.percentile(99))) "
            text += "(target < 50 ms: \(met(hundred.median < 0.05)))\n"
        }
        text += String(
            format: "testbed resident memory with %d sessions open: %.1f MB (target < 300 MB: %@)\n", figures.nodes,
            figures.residentWithSessions, met(figures.residentWithSessions < 300))
        return text
    }
}
