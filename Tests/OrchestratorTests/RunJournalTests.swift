import Foundation
import PlanModel
import Testing

@testable import Orchestrator

@Suite("the run journal") struct RunJournalTests {
    let plan = Plan(title: "t", sourceKind: .yaml, sourcePath: "p.yaml", steps: [])

    func write(_ lines: [String], trailingNewline: Bool = true) throws -> String {
        let path = NSTemporaryDirectory() + "journal-\(UUID().uuidString).jsonl"
        try (lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")).write(
            toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func line(_ event: RunEvent) throws -> String {
        String(
            decoding: try JSONLinesReporter.makeEncoder().encode(RunJournalRecord(event, includesPlan: true)),
            as: UTF8.self)
    }

    @Test("a journal reads back its plan; a cut-short last line is a warning, not lost work")
    func truncatedLastLine() throws {
        let started = try line(
            .started(plan: plan, schedule: try Schedule.make(for: plan, mode: .document), nodes: ["a"]))
        let path = try write([started, #"{"event":"unit_fin"#], trailingNewline: false)
        let journal = try RunJournal.read(path: path)
        #expect(journal.plan.title == "t")
        #expect(journal.warnings.map(\.message) == ["the last line is cut short"])
        #expect(journal.warnings.first?.location.line == 2)
    }

    @Test("a damaged line in the middle, or no plan, is an error at its line")
    func damaged() throws {
        let started = try line(
            .started(plan: plan, schedule: try Schedule.make(for: plan, mode: .document), nodes: ["a"]))
        let path = try write([started, "garbage", started])
        #expect {
            _ = try RunJournal.read(path: path)
        } throws: { error in
            (error as? InputErrors)?.errors.map { "\($0.location.line) \($0.severity)" } == ["2 error"]
        }
        let noPlan = try write([#"{"event":"stopping","time":"2026-01-01T00:00:00Z","reason":"x"}"#])
        #expect {
            _ = try RunJournal.read(path: noPlan)
        } throws: { error in
            "\(error)".contains("the journal has no run_started record with the plan")
        }
    }

    @Test("a journal that cannot be written keeps the reason and asks the run to stop")
    func fullDisk() throws {
        let stop = StopSignal()
        let reporter = try JSONLinesReporter(journalPath: "/dev/full", stopOnFailure: stop)
        reporter.handle(.stopping(reason: "x"))
        #expect(
            reporter.failure?.contains("a stopping record could not be written") == true, "\(reporter.failure ?? "")")
        #expect(reporter.failure?.contains("No space left on device") == true)
        #expect(stop.reason?.hasPrefix("the run journal cannot be written") == true)
    }
}
