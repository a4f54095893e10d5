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

    @Test("a schedule, unit or resume position the plan does not have is an error at its line, not a trap later")
    func strayUnits() throws {
        let topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: }\n", path: "t.yaml")
        let plan = try PlanLoader.parse(
            text: "steps:\n  - {id: s, node: a, run: \"true\"}\n", path: "p.yaml", topology: topology)
        var schedule = try Schedule.make(for: plan, mode: .document)
        schedule.stages[0].units[0] = Schedule.Unit(stepIndex: 5, blockIndex: 0, node: "a")
        let path = try write([try line(.started(plan: plan, schedule: schedule, nodes: ["a"]))])
        #expect {
            _ = try RunJournal.read(path: path)
        } throws: { error in
            (error as? InputErrors)?.errors.map { "\($0.location.line): \($0.message)" } == [
                "1: this record names step 6 block 1 on a, a unit (or a command of it) that the plan (1 steps) does "
                    + "not have"
            ]
        }
        let unit = Schedule.Unit(stepIndex: 0, blockIndex: 0, node: "a")
        var resumed = RunJournalRecord(
            .started(plan: plan, schedule: try Schedule.make(for: plan, mode: .document), nodes: ["a"]),
            includesPlan: true)
        resumed.resume = ResumePoint(
            journalPath: "j", carried: [],
            positions: [ResumePoint.Position(unit: unit, command: -1, location: nil, reason: "r")])
        let encoded = String(decoding: try JSONLinesReporter.makeEncoder().encode(resumed), as: UTF8.self)
        #expect(throws: InputErrors.self) { _ = try RunJournal.read(path: try write([encoded])) }
        // The same journal with a command the block has reads.
        resumed.resume?.positions[0].command = 1
        let fine = String(decoding: try JSONLinesReporter.makeEncoder().encode(resumed), as: UTF8.self)
        #expect(try RunJournal.read(path: try write([fine])).resume?.positions.count == 1)
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
