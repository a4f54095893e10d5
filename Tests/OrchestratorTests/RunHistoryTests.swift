import Foundation
import PlanModel
import Testing

@testable import Orchestrator

/// Which earlier run `--resume` continues when none is named.
@Suite("resume: the latest run of the plan, unless a newer run never recorded its start")
struct RunHistoryTests {
    /// A runs directory holding the fixture's journal as run `started`.
    func runs(_ fixture: RunReportFixture) throws -> String {
        _ = try fixture.journal()
        let runs = fixture.directory + "/runs/small"
        try FileManager.default.createDirectory(atPath: runs + "/started", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.journalPath, toPath: runs + "/started/journal.jsonl")
        return runs
    }

    /// Adds a run whose journal is empty, as one killed before its start leaves it, last modified at `date`.
    func addUnstarted(_ runs: String, at date: Date) throws {
        try FileManager.default.createDirectory(atPath: runs + "/killed", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: runs + "/killed/journal.jsonl", contents: Data())
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: runs + "/killed/journal.jsonl")
    }

    @Test("the run of the plan is found; an older run that never started does not hide it")
    func findsTheRun() throws {
        let fixture = try RunReportFixture()
        let runs = try runs(fixture)
        #expect(
            try RunHistory.latest(of: fixture.plan, topology: "small", runs: runs) == runs + "/started/journal.jsonl")
        try addUnstarted(runs, at: Date().addingTimeInterval(-3600))
        #expect(
            try RunHistory.latest(of: fixture.plan, topology: "small", runs: runs) == runs + "/started/journal.jsonl")
    }

    @Test("a newer run that stopped before recording its start is refused, naming it and the run that did start")
    func refusesBehindAnUnstartedRun() throws {
        let fixture = try RunReportFixture()
        let runs = try runs(fixture)
        try addUnstarted(runs, at: Date().addingTimeInterval(60))
        let refusal = #expect(throws: ResumeRefusal.self) {
            try RunHistory.latest(of: fixture.plan, topology: "small", runs: runs)
        }
        #expect(refusal?.code == .notStarted)
        #expect(refusal?.message.contains(runs + "/killed,") == true)
        #expect(refusal?.hint.contains("--resume \(runs)/started") == true)
    }

    @Test("no run of the plan at all: no-run, and an unstarted run alone is refused as not started")
    func noRun() throws {
        let fixture = try RunReportFixture()
        let runs = fixture.directory + "/runs/small"
        let none = #expect(throws: ResumeRefusal.self) {
            try RunHistory.latest(of: fixture.plan, topology: "small", runs: runs)
        }
        #expect(none?.code == .noRun)
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        try addUnstarted(runs, at: Date())
        let unstarted = #expect(throws: ResumeRefusal.self) {
            try RunHistory.latest(of: fixture.plan, topology: "small", runs: runs)
        }
        #expect(unstarted?.code == .notStarted)
    }

    @Test("two runs that started within one second: the one whose journal changed last is the latest")
    func sameSecond() throws {
        let fixture = try RunReportFixture()
        let runs = try runs(fixture)
        try FileManager.default.createDirectory(atPath: runs + "/second", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.journalPath, toPath: runs + "/second/journal.jsonl")
        for (newer, older) in [("second", "started"), ("started", "second")] {
            let now = Date()
            try FileManager.default.setAttributes(
                [.modificationDate: now], ofItemAtPath: runs + "/\(newer)/journal.jsonl")
            try FileManager.default.setAttributes(
                [.modificationDate: now.addingTimeInterval(-0.5)], ofItemAtPath: runs + "/\(older)/journal.jsonl")
            #expect(
                try RunHistory.latest(of: fixture.plan, topology: "small", runs: runs) == runs
                    + "/\(newer)/journal.jsonl")
        }
    }
}
