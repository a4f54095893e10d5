import Foundation
import PlanModel

extension RunReportPage {
    /// Every step with its outcome; clicking a row selects the step (its state and the topology after it).
    var stepsSection: String {
        let byStep = Dictionary(grouping: journal.results, by: \.unit.stepIndex)
        var html = "<section id=\"steps\">\n<h2>Steps</h2>\n<table class=\"steps\"><thead><tr><th>#</th><th>step</th>"
        html += "<th>operation</th><th>nodes</th><th>status</th><th>time</th></tr></thead><tbody>\n"
        for (index, step) in plan.steps.enumerated() {
            let results = byStep[index] ?? []
            let status =
                results.isEmpty
                ? "not-run"
                : results.contains { $0.status == .failed }
                    ? "failed" : results.allSatisfy { $0.status == .skipped } ? "skipped" : "passed"
            let seconds = results.map(\.seconds).max() ?? 0
            html += "<tr class=\"step \(status)\" data-step=\"\(index)\"><td>\(index + 1)</td>"
            html +=
                "<td><b>\(HTMLText.escape(step.id))</b> \(HTMLText.escape(step.title == step.id ? "" : step.title))</td>"
            html += "<td>\(HTMLText.escape(step.operation?.rawValue ?? (step.isCheck ? "check" : "")))</td>"
            html += "<td>\(HTMLText.escape(step.nodes.joined(separator: ", ")))</td>"
            html += "<td>\(status.replacingOccurrences(of: "-", with: " "))</td>"
            html += "<td>\(results.isEmpty || status == "skipped" ? "" : HTMLText.seconds(seconds))</td></tr>\n"
        }
        return html + "</tbody></table>\n</section>\n"
    }

    /// The topology as Graphviz laid it out, its identities and arcs shown as they stand after the
    /// selected step.
    var topologySection: String {
        var html = "<section id=\"topology\">\n<h2>Topology <span id=\"frame-label\" class=\"note\"></span></h2>\n"
        if let svg = input.topologySVG {
            html += "<div class=\"picture\">\n\(svg)\n</div>\n"
            html +=
                input.replay.hasRecords
                ? "<p class=\"note\">Boxes inside a node are its network namespaces (identities); blue arrows are "
                    + "arcs: a link-local /32 route from one identity to an address another holds.</p>\n"
                : "<p class=\"note\">The journal holds no kernel state (the run had no state check, or an older "
                    + "testbed wrote it): identities and arcs cannot be told.</p>\n"
        } else {
            html += "<p class=\"note\">No picture: \(HTMLText.escape(input.topologyNote ?? "no topology"))</p>\n"
        }
        return html + "</section>\n"
    }

    /// Per step: what each unit changed in its node's kernel state, and where the node differed from the model.
    var stateSection: String {
        let byStep = Dictionary(grouping: journal.results, by: \.unit.stepIndex)
        var html = "<section id=\"state\">\n<h2>Kernel state</h2>\n"
        html += "<p class=\"note\">Routes, rules, addresses, iptables rules and sysctls each step added (+) or "
        html += "removed (−), by node, namespace and table: the model's prediction, corrected by what the node "
        html += "reported after the block.</p>\n"
        for (index, _) in plan.steps.enumerated() {
            html += "<article class=\"step-state\" id=\"s-\(index)\" data-step=\"\(index)\" hidden=\"hidden\">\n"
            html += "<h3>\(HTMLText.escape(stepTitle(index)))</h3>\n"
            let results = byStep[index] ?? []
            if results.isEmpty { html += "<p class=\"note\">Not part of this run.</p>\n" }
            for result in results {
                html += "<h4>\(HTMLText.escape(result.unit.node.rawValue)) — \(Self.statusWord(result.status))</h4>\n"
                html += list("State differences (model vs. node)", result.stateDifferences, kind: "differences")
                if result.kind != .block {
                    html += "<p class=\"note\">A check: it changes nothing.</p>\n"
                } else if result.stateChanges == nil {
                    html += "<p class=\"note\">No state recorded for this unit.</p>\n"
                } else {
                    html += changes(result.stateChanges, node: result.unit.node)
                }
            }
            html += "</article>\n"
        }
        return html + "</section>\n"
    }

    /// The run's packet captures, linked.
    var capturesSection: String {
        guard !input.captures.isEmpty else { return "" }
        var html = "<section id=\"captures\">\n<h2>Packet captures</h2>\n<ul>\n"
        for capture in input.captures {
            let size = capture.bytes.map { " — \($0) bytes" } ?? " — missing"
            html += "<li><a href=\"\(runFileLink(capture.file.file))\">\(HTMLText.escape(capture.file.file))</a>"
            html += " segment \(HTMLText.escape(capture.file.segment)) (bridge \(HTMLText.escape(capture.file.bridge)))"
            html += HTMLText.escape(size + (capture.summary.isEmpty ? "" : ", " + capture.summary)) + "</li>\n"
        }
        html += "</ul>\n<p class=\"note\">Read them with <code>tcpdump -n -r FILE</code> or Wireshark.</p>\n"
        return html + "</section>\n"
    }
}
