import Foundation
import PlanModel

extension RunReportPage {
    /// The verdict and the figures of the run.
    var summarySection: String {
        let results = journal.results
        let failed = results.filter { $0.status == .failed }.count
        let skipped = results.filter { $0.status == .skipped }.count
        let passed = results.filter { $0.status == .passed }.count
        let blocks = results.filter { $0.kind == .block }.count
        let verdict: (String, String)
        if let report = journal.report {
            verdict =
                report.succeeded
                ? ("passed", "passed") : report.interrupted ? ("interrupted", "interrupted") : ("failed", "FAILED")
        } else {
            verdict = ("incomplete", "incomplete: the journal ends before the run did")
        }
        var figures: [(String, String)] = [
            ("units", "\(results.count) (\(blocks) blocks, \(results.count - blocks) checks)"),
            ("passed", "\(passed)"), ("failed", "\(failed)"), ("skipped", "\(skipped)"),
            ("nodes", "\(journal.nodes.count)"),
        ]
        if let report = journal.report {
            figures += [
                ("run time", HTMLText.seconds(report.seconds)),
                ("connect and set up", HTMLText.seconds(report.setupSeconds)),
                ("schedule", "\(report.schedule.rawValue), \(journal.schedule?.stages.count ?? 0) stages"),
                ("overhead per unit", HTMLText.seconds(report.overheadPerUnit)),
            ]
        }
        if let started = journal.startedAt {
            figures.append(("started", ISO8601DateFormatter().string(from: started)))
        }
        figures.append(("topology", journal.topology?.name ?? journal.report?.topologyName ?? "unknown"))
        figures.append(("plan", plan.sourcePath))
        var html = "<header id=\"summary\" data-verdict=\"\(verdict.0)\">\n"
        html += "<h1>\(HTMLText.escape(plan.title.isEmpty ? "testbed run" : plan.title))</h1>\n"
        html += "<p class=\"verdict \(verdict.0)\">\(HTMLText.escape(verdict.1))</p>\n<dl class=\"figures\">\n"
        for (name, value) in figures {
            html += "<div><dt>\(HTMLText.escape(name))</dt><dd>\(HTMLText.escape(value))</dd></div>\n"
        }
        html += "</dl>\n"
        for reason in journal.stopReasons {
            html += "<p class=\"stopping\">stopping: \(HTMLText.escape(reason))</p>\n"
        }
        if let failure = journal.report?.journalFailure {
            html += "<p class=\"stopping\">the journal could not be kept: \(HTMLText.escape(failure))</p>\n"
        }
        for warning in journal.warnings {
            html += "<p class=\"stopping\">\(HTMLText.escape(warning.message))</p>\n"
        }
        return html + "</header>\n"
    }

    /// Every failed unit with its message, and a place for the explanation of why (`UnitResult.explanation`).
    var failuresSection: String {
        let failures = journal.results.filter { $0.status == .failed }
        guard !failures.isEmpty else { return "" }
        var html = "<section id=\"failures\">\n<h2>Failures</h2>\n"
        for result in failures {
            let id = RunTimeline.id(of: result.unit)
            let location =
                result.failingCommand?.location.fileAndLine ?? plan.steps[result.unit.stepIndex].location.fileAndLine
            html += "<article class=\"failure\" data-unit=\"\(id)\">\n"
            html +=
                "<h3><a href=\"#\(id)\" data-unit=\"\(id)\">\(HTMLText.escape(stepTitle(result.unit.stepIndex)))</a>"
            html +=
                " on \(HTMLText.escape(result.unit.node.rawValue)) <span class=\"where\">(\(HTMLText.escape(location)))</span></h3>\n"
            html += "<p class=\"message\">\(HTMLText.escape(result.message ?? "failed"))</p>\n"
            if let command = result.failingCommand {
                html += "<pre class=\"command\">\(HTMLText.escape(command.text))</pre>\n"
            }
            html += explanation(result)
            html += "</article>\n"
        }
        return html + "</section>\n"
    }

    /// The failure-explanation box; empty-handed until something fills `UnitResult.explanation`.
    func explanation(_ result: UnitResult) -> String {
        guard let text = result.explanation, !text.isEmpty else {
            return "<div class=\"explanation none\" data-field=\"explanation\">No explanation recorded.</div>\n"
        }
        return "<div class=\"explanation\" data-field=\"explanation\"><h4>Explanation</h4><pre>"
            + HTMLText.escape(text) + "</pre></div>\n"
    }
}
