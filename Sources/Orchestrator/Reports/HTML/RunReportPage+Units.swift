import Foundation
import PlanModel

extension RunReportPage {
    /// One hidden panel per unit (also skipped ones); clicking its bar shows it.
    var unitsSection: String {
        var html = "<section id=\"units\">\n<h2>Unit</h2>\n"
        html += "<p class=\"note\" id=\"no-unit\">Click a bar of the timeline (or a failure) to see its commands.</p>\n"
        for result in journal.results { html += unitPanel(result) }
        return html + "</section>\n"
    }

    private func unitPanel(_ result: UnitResult) -> String {
        let id = RunTimeline.id(of: result.unit)
        let step = plan.steps[result.unit.stepIndex]
        let status = Self.statusWord(result.status)
        var html =
            "<article class=\"unit \(status)\" id=\"\(id)\" data-step=\"\(result.unit.stepIndex)\" hidden=\"hidden\">\n"
        html += "<h3>\(HTMLText.escape(stepTitle(result.unit.stepIndex)))</h3>\n<p class=\"facts\">"
        var facts = ["node \(result.unit.node)"]
        if let namespace = RunTimeline.namespace(of: result.unit, in: plan) { facts.append("netns \(namespace)") }
        facts.append(result.kind.rawValue + (result.unit.blockIndex.map { " \($0 + 1) of \(step.blocks.count)" } ?? ""))
        if result.status != .skipped { facts.append(HTMLText.seconds(result.seconds)) }
        if let remote = result.remoteSeconds { facts.append("\(HTMLText.seconds(remote)) on the node") }
        if let status = result.exitStatus { facts.append("exit status \(status)") }
        if result.timedOut { facts.append("timed out") }
        html += facts.map(HTMLText.escape).joined(separator: " · ")
        html += " <span class=\"badge \(status)\">\(status)</span></p>\n"
        if let message = result.message { html += "<p class=\"message\">\(HTMLText.escape(message))</p>\n" }
        if result.status == .failed { html += explanation(result) }
        html += commands(result, step: step)
        html += output("stdout", result.stdoutTail, file: result.stdoutFile)
        html += output("stderr", result.stderrTail, file: result.stderrFile)
        html += list("State differences (model vs. node)", result.stateDifferences, kind: "differences")
        html += changes(result.stateChanges, node: result.unit.node)
        html += list("Not modelled by the state model", result.notModelled, kind: "not-modelled")
        return html + "</article>\n"
    }

    /// The unit's commands with their plan lines and how each ended, as far as the result tells.
    private func commands(_ result: UnitResult, step: Step) -> String {
        var html =
            "<table class=\"commands\"><thead><tr><th>plan line</th><th>command</th><th>status</th></tr></thead><tbody>\n"
        switch step.action {
        case .blocks(let blocks):
            let block = blocks[result.unit.blockIndex ?? 0]
            let failing = result.failingCommand
            var reachedFailure = false
            for command in block.commands {
                let state: (String, String)
                if result.status == .skipped {
                    state = ("not-run", "not run")
                } else if reachedFailure {
                    state = ("not-run", "not run")
                } else if let failing, failing.location == command.location, failing.text == command.text {
                    reachedFailure = true
                    state = ("failed", result.exitStatus.map { "exit \($0)" } ?? "failed")
                } else if result.status == .failed && failing == nil && result.exitStatus != nil {
                    state = ("unknown", "?")
                } else {
                    state = ("ok", "ok")
                }
                html += row(command.location, command.text, state)
            }
        case .reach(let check):
            for target in check.targets {
                let ping = result.pings.first { $0.address == target.description }
                let answer = ping.map { $0.reachable ? "answered" : "no answer" } ?? "not run"
                let good = ping.map { $0.reachable == (check.expectation == .reachable) }
                let state = (good == nil ? "not-run" : good == true ? "ok" : "failed", answer)
                let text = "ping \(target)" + (check.expectation == .unreachable ? " (must not answer)" : "")
                html += row(step.location, text, state)
            }
        case .expect(let check):
            for command in check.block.commands {
                let state =
                    result.status == .skipped
                    ? ("not-run", "not run")
                    : (result.status == .passed ? "ok" : "failed", result.exitStatus.map { "exit \($0)" } ?? "?")
                html += row(command.location, command.text, state)
            }
        case .service(let service):
            html += row(step.location, "service \(service.name) on \(service.node)", status(of: result))
        case .conform(let check):
            for block in check.documented {
                for command in block.commands {
                    html += row(command.location, "documented: " + command.text, status(of: result))
                }
            }
        case .wait(let milliseconds):
            html += row(step.location, "wait \(milliseconds) ms", status(of: result))
        case .fault(let fault):
            html += row(step.location, "fault: " + fault.summary, status(of: result))
        }
        return html + "</tbody></table>\n"
    }

    /// The row state of a unit as a whole.
    private func status(of result: UnitResult) -> (String, String) {
        switch result.status {
        case .skipped: ("not-run", "not run")
        case .passed: ("ok", "ok")
        case .failed: ("failed", result.exitStatus.map { "exit \($0)" } ?? "failed")
        }
    }

    /// A command row; the plan line shows the file's name, its whole path in the tooltip.
    private func row(_ location: InputLocation, _ text: String, _ state: (String, String)) -> String {
        let short = "\((location.file as NSString).lastPathComponent):\(location.line)"
        return "<tr class=\"\(state.0)\"><td class=\"where\" title=\"\(HTMLText.escape(location.fileAndLine))\">"
            + "\(HTMLText.escape(short))</td><td><code>\(HTMLText.escape(text))</code></td><td>"
            + "\(HTMLText.escape(state.1))</td></tr>\n"
    }

    private func output(_ name: String, _ tail: String, file: String?) -> String {
        guard !tail.isEmpty else { return "" }
        var html =
            "<h4>\(name)\(file == nil ? "" : " (the end)")</h4>\n<pre class=\"\(name)\">\(HTMLText.escape(tail))</pre>\n"
        if let file, input.existingFiles.contains(file) {
            html += "<p><a href=\"\(runFileLink(file))\">whole \(name)</a></p>\n"
        }
        return html
    }

    func list(_ title: String, _ lines: [String], kind: String) -> String {
        guard !lines.isEmpty else { return "" }
        return "<h4>\(HTMLText.escape(title))</h4>\n<ul class=\"\(kind)\">"
            + lines.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>\n"
    }

    /// State changes grouped by namespace, then by part and table: `+` added, `−` removed.
    func changes(_ changes: [StateChange]?, node: NodeName) -> String {
        guard let changes else { return "" }
        guard !changes.isEmpty else { return "<p class=\"note\">No change to the kernel state.</p>\n" }
        var html = "<h4>Kernel state changes</h4>\n"
        var groups: [String] = []
        var grouped: [String: [StateChange]] = [:]
        for change in changes {
            let where_ = change.namespace.map { "netns \($0)" } ?? "default namespace"
            let key = "\(node) · \(where_) · \(change.aspect.rawValue)" + (change.table.map { " \($0)" } ?? "")
            if grouped[key] == nil { groups.append(key) }
            grouped[key, default: []].append(change)
        }
        for key in groups {
            html += "<div class=\"change-group\"><h5>\(HTMLText.escape(key))</h5><ul class=\"changes\">"
            for change in grouped[key] ?? [] {
                let sign = change.direction == .added ? "+" : "−"
                html += "<li class=\"\(change.direction.rawValue)\"><span class=\"sign\">\(sign)</span> "
                html += "\(HTMLText.escape(change.text))</li>"
            }
            html += "</ul></div>\n"
        }
        return html
    }
}
