import Foundation
public import PlanModel

/// JUnit XML for CI: one test case per block and per check, with its node, source lines, duration, the ends
/// of stdout and stderr (kept even when the case passes), and for a failure the failing command and message.
public enum JUnitWriter {
    public static func xml(report: RunReport, plan: Plan, hostname: String = "testbed") -> String {
        let cases = report.results.map { testCase($0, plan: plan) }
        let attributes = counts(report) + " time=\"\(format(report.seconds))\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"testbed\" \(attributes)>\n"
        xml += "  <testsuite name=\"\(escape(report.planTitle))\" \(attributes)"
        xml += " timestamp=\"\(timestamp(report.startedAt))\" hostname=\"\(escape(hostname))\">\n"
        xml += "    <properties>\n"
        for (name, value) in [
            ("plan", report.planPath), ("topology", report.topologyName), ("schedule", report.schedule.rawValue),
            ("setup_seconds", format(report.setupSeconds)), ("interrupted", "\(report.interrupted)"),
        ] {
            xml += "      <property name=\"\(name)\" value=\"\(escape(value))\"/>\n"
        }
        xml += "    </properties>\n"
        xml += cases.joined()
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func counts(_ report: RunReport) -> String {
        "tests=\"\(report.results.count)\" failures=\"\(report.failed)\" errors=\"0\" skipped=\"\(report.skipped)\""
    }

    private static func testCase(_ result: UnitResult, plan: Plan) -> String {
        let step = plan.steps[result.unit.stepIndex]
        let (source, what) = describe(result, step: step)
        let name = "\(step.id) [\(result.unit.node)] \(what)"
        var xml = "    <testcase name=\"\(escape(name))\" classname=\"\(escape(plan.title)).\(escape(step.id))\""
        xml += " time=\"\(format(result.seconds))\">\n"
        switch result.status {
        case .failed:
            var body = result.message ?? "failed"
            if let command = result.failingCommand {
                body += "\ncommand: \(command.text)\nat: \(command.location.fileAndLine)"
            }
            if let status = result.exitStatus { body += "\nexit status: \(status)" }
            if !result.stderrTail.isEmpty { body += "\nstderr:\n\(result.stderrTail)" }
            if !result.stateDifferences.isEmpty {
                body += "\nstate differences:\n" + result.stateDifferences.joined(separator: "\n")
            }
            xml += "      <failure message=\"\(escape(result.message ?? "failed"))\" type=\"\(result.kind.rawValue)\">"
            xml += escape(body) + "</failure>\n"
        case .skipped:
            xml += "      <skipped message=\"not run: the run stopped before this unit\"/>\n"
        case .passed:
            break
        }
        var out = "node: \(result.unit.node)\nsource: \(source)\n"
        if let remote = result.remoteSeconds { out += "time on node: \(format(remote)) s\n" }
        for ping in result.pings { out += "ping \(ping.address): \(ping.reachable ? "answered" : "no answer")\n" }
        for difference in result.stateDifferences where result.status != .failed {
            out += "state difference: \(difference)\n"
        }
        for command in result.notModelled { out += "not modelled: \(command)\n" }
        if !result.stdoutTail.isEmpty { out += "stdout:\n\(result.stdoutTail)" }
        xml += "      <system-out>\(escape(out))</system-out>\n"
        if !result.stderrTail.isEmpty { xml += "      <system-err>\(escape(result.stderrTail))</system-err>\n" }
        xml += "    </testcase>\n"
        return xml
    }

    /// The source lines of the unit (`plan.yaml:12-19`) and a short description.
    private static func describe(_ result: UnitResult, step: Step) -> (String, String) {
        switch step.action {
        case .blocks(let blocks):
            let block = blocks[result.unit.blockIndex ?? 0]
            let lines = block.lines.map(\.location.line)
            let range = lines.isEmpty ? "\(block.location.line)" : "\(lines.min() ?? 0)-\(lines.max() ?? 0)"
            return ("\(block.location.file):\(range)", step.title)
        case .reach(let check):
            let lines = check.originalLines.map(\.location.line)
            let source =
                lines.isEmpty
                ? step.location.fileAndLine : "\(step.location.file):\(lines.min() ?? 0)-\(lines.max() ?? 0)"
            return (source, "reach \(check.targets.map(\.description).joined(separator: ", "))")
        case .expect(let check):
            return (check.block.location.fileAndLine, "expect: \(check.block.script.prefix(60))")
        case .service(let service):
            return (step.location.fileAndLine, "service \(service.name)")
        case .wait(let milliseconds):
            return (step.location.fileAndLine, "wait \(milliseconds) ms")
        case .conform(let check):
            return (step.location.fileAndLine, "conformance to \(check.source)")
        case .fault(let fault):
            return (step.location.fileAndLine, "fault: \(fault.summary)")
        }
    }

    /// XML-escapes text and drops characters XML 1.0 cannot carry (most control characters).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.6f", seconds) }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return String(formatter.string(from: date).dropLast())  // JUnit's schema wants no zone designator
    }
}
