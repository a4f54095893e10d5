import Foundation
import PlanModel

/// The end-of-run text: what ran, what failed and why, how long it took.
struct RunSummary {
    let report: RunReport
    let plan: Plan?

    func text(paint: (String, String) -> String) -> String {
        var text = "\n"
        let blocks = report.results.filter { $0.kind == .block }.count
        let checks = report.results.count - blocks
        let verdict =
            report.succeeded
            ? paint("passed", "32") : report.interrupted ? paint("interrupted", "33") : paint("FAILED", "31")
        text +=
            "\(report.planTitle): \(verdict) — \(report.passed) passed, \(report.failed) failed, \(report.skipped) skipped "
        text += "(\(blocks) blocks, \(checks) checks) in \(Self.format(report.seconds))"
        text += " after \(Self.format(report.setupSeconds)) to connect\n"
        for result in report.results where result.status == .failed {
            text += failure(result, paint: paint)
        }
        text += findings(paint: paint)
        let warned = report.results.filter {
            $0.status != .failed && !$0.stateDifferences.isEmpty && $0.kind != .conform
        }
        for result in warned {
            text +=
                paint("warning:", "33")
                + " node '\(result.unit.node)', step \(result.stepID): the kernel state differs from the model\n"
            text += result.stateDifferences.prefix(10).map { "  \($0)\n" }.joined()
        }
        let unknown = report.results.reduce(0) { $0 + $1.notModelled.count }
        if unknown > 0 {
            text +=
                "\(unknown) command\(unknown == 1 ? "" : "s") not modelled by the state model (what they touch was taken from the node):\n"
            for line in report.results.flatMap(\.notModelled).prefix(5) { text += "  \(line)\n" }
            if unknown > 5 { text += "  …\n" }
        }
        text += conditions()
        let slowest = slowestSteps(limit: 5)
        if !slowest.isEmpty {
            text += "slowest steps:\n"
            for (step, seconds) in slowest {
                text += "  \(Self.format(seconds).padding(toLength: 9, withPad: " ", startingAt: 0)) \(step)\n"
            }
        }
        if report.schedule == .document {
            text += "overhead per unit (wall time outside the blocks): \(Self.format(report.overheadPerUnit))\n"
        }
        if !report.services.isEmpty {
            text += "services:\n"
            for service in report.services {
                text += "  \(service.summary)\n"
                if service.endedBadly, let tail = service.logTail, !tail.isEmpty {
                    text += "    last lines of its log:\n" + tail.map { "      \($0)\n" }.joined()
                }
            }
        }
        let files = report.results.flatMap { [$0.stdoutFile, $0.stderrFile].compactMap { $0 } }
        if !files.isEmpty {
            text += "long outputs kept whole (the report shows their ends):\n"
            // The names are relative to the run directory, where the journal is.
            let directory = report.journalPath.map { String($0[..<($0.lastIndex(of: "/") ?? $0.startIndex)]) + "/" }
            text += files.prefix(10).map { "  \(directory ?? "")\($0)\n" }.joined() + (files.count > 10 ? "  …\n" : "")
        }
        if let journal = report.journalPath { text += "journal: \(journal)\n" }
        if let failure = report.journalFailure {
            text += paint("error:", "31") + " the run journal could not be kept, so the run was stopped: \(failure)\n"
        }
        if let first = report.results.first(where: { $0.status == .failed }) {
            text += paint("FAILED", "31") + " at " + headline(first) + "\n"
        }
        return text
    }

    /// Where and what, in one line — the last line of a failed run, never a bare tool message:
    /// `node 'beta', step 2 broken (plan.yaml:9): `ip route change …` exited with status 2`.
    private func headline(_ result: UnitResult) -> String {
        let step = plan?.steps[result.unit.stepIndex]
        let location = result.failingCommand?.location.fileAndLine ?? step?.location.fileAndLine ?? "?"
        var line = "node '\(result.unit.node)', step \(result.unit.stepIndex + 1) \(result.stepID) (\(location))"
        if let command = result.failingCommand, result.message?.contains(command.text) != true {
            line += ": `\(command.text)`"
        }
        return line + ": " + (result.message?.split(separator: "\n").first.map(String.init) ?? "failed")
    }

    /// `error: node 'beta', step 7 'arc' (plan.yaml:42): …` then the command, status and stderr tail.
    private func failure(_ result: UnitResult, paint: (String, String) -> String) -> String {
        let step = plan?.steps[result.unit.stepIndex]
        let title = step.map { "'\($0.title.prefix(60))'" } ?? ""
        let location = result.failingCommand?.location.fileAndLine ?? step?.location.fileAndLine ?? ""
        var text =
            paint("error:", "31")
            + " node '\(result.unit.node)', step \(result.unit.stepIndex + 1) \(result.stepID) \(title) (\(location))"
        text += ": \(result.message ?? "failed")\n"
        if let command = result.failingCommand { text += "  command: \(command.text)\n" }
        if let status = result.exitStatus, result.kind != .reach { text += "  exit status: \(status)\n" }
        let stderr = result.stderrTail.split(separator: "\n").suffix(5)
        if !stderr.isEmpty { text += "  stderr:\n" + stderr.map { "    \($0)\n" }.joined() }
        if let explanation = result.explanation, !explanation.isEmpty {
            text += "  why, hop by hop:\n" + explanation.split(separator: "\n").map { "    \($0)\n" }.joined()
        }
        if !result.stateDifferences.isEmpty {
            text += "  state differences:\n" + result.stateDifferences.prefix(20).map { "    \($0)\n" }.joined()
            if result.stateDifferences.count > 20 { text += "    … and \(result.stateDifferences.count - 20) more\n" }
        }
        return text
    }

    /// Conformance checks that passed with `on_difference: report`: each difference is a finding. A difference
    /// a later check of the same node sees again (the documented state is carried from check to check) is listed
    /// once, where it was first seen; the journal keeps every check's full list.
    private func findings(paint: (String, String) -> String) -> String {
        let reported = report.results.filter {
            $0.kind == .conform && $0.status == .passed && !$0.stateDifferences.isEmpty
        }
        guard !reported.isEmpty else { return "" }
        var seen: [NodeName: Set<String>] = [:]
        var body = ""
        var total = 0
        for result in reported {
            let step = plan?.steps[result.unit.stepIndex]
            var source = "the documentation"
            if case .conform(let check)? = step?.action { source = check.source }
            let fresh = result.stateDifferences.filter { !(seen[result.unit.node]?.contains($0) ?? false) }
            let again = result.stateDifferences.count - fresh.count
            seen[result.unit.node, default: []].formUnion(result.stateDifferences)
            total += fresh.count
            body +=
                paint("finding:", "35")
                + " node '\(result.unit.node)', step \(result.unit.stepIndex + 1) \(result.stepID)"
                + " (\(step?.location.fileAndLine ?? "")): differs from \(source)\n"
            body += fresh.prefix(60).map { "  \($0)\n" }.joined()
            if fresh.count > 60 { body += "  … and \(fresh.count - 60) more (all in the journal)\n" }
            if again > 0 { body += "  and \(again) seen by an earlier check, still there\n" }
        }
        return "\(total) finding\(total == 1 ? "" : "s") (where the nodes differ from the documentation):\n" + body
    }

    private func slowestSteps(limit: Int) -> [(String, Double)] {
        var byStep: [Int: Double] = [:]
        for result in report.results where result.status != .skipped {
            byStep[result.unit.stepIndex, default: 0] = max(byStep[result.unit.stepIndex, default: 0], result.seconds)
        }
        return byStep.sorted { $0.value > $1.value }.prefix(limit).map { index, seconds in
            let step = plan?.steps[index]
            return (
                "\(step?.id ?? "\(index + 1)") \(step?.title.prefix(50) ?? "") (\(step?.nodes.joined(separator: ",") ?? ""))",
                seconds
            )
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }
}
