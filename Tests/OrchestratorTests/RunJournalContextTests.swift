import Foundation
import PlanModel
import Testing

@testable import Orchestrator

/// What journals now carry for reports, and that journals written before still read.
@Suite("the run journal's report fields") struct RunJournalContextTests {
    @Test("run_started carries the topology, initial states and captures; records carry sub-second times")
    func context() throws {
        let fixture = try RunReportFixture()
        let journal = try fixture.journal()
        #expect(journal.topology?.name == "small")
        #expect(journal.topology?.segments.map(\.name) == ["lan"])
        #expect(journal.initialStates.map(\.node) == ["a", "b", "c"])
        #expect(journal.captures.map(\.file) == ["pcap/seg0-lan.pcap"])
        #expect(journal.nodes == ["a", "b", "c"])
        #expect(journal.stopReasons == ["c failed in step broken"])
        let text = try String(contentsOfFile: fixture.journalPath, encoding: .utf8)
        #expect(text.split(separator: "\n").allSatisfy { $0.contains("\"elapsed\":") })
        let changed = journal.results.first { $0.stepID == "start-a" }?.stateChanges?.map(\.description)
        #expect(changed?.contains("+ address eth1: 169.254.1.1/32") == true)
    }

    @Test("a journal written before the report fields existed still reads (they are optional)")
    func older() throws {
        let fixture = try RunReportFixture()
        _ = try fixture.journal()
        // The same journal without the new keys, as an older testbed wrote it.
        let newKeys: Set<String> = ["elapsed", "topology", "initialStates", "captures"]
        let resultKeys: Set<String> = ["stateChanges", "stdoutFile", "stderrFile", "explanation"]
        var lines: [String] = []
        for line in try String(contentsOfFile: fixture.journalPath, encoding: .utf8).split(separator: "\n") {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in newKeys { object[key] = nil }
            let strip = { (result: [String: Any]) in result.filter { !resultKeys.contains($0.key) } }
            if let result = object["result"] as? [String: Any] { object["result"] = strip(result) }
            if var report = object["report"] as? [String: Any], let results = report["results"] as? [[String: Any]] {
                report["results"] = results.map(strip)
                object["report"] = report
            }
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        #expect(!lines.joined().contains("elapsed") && !lines.joined().contains("stateChanges"))
        let path = fixture.directory + "/old.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let journal = try RunJournal.read(path: path)
        #expect(journal.plan.title == fixture.plan.title)
        #expect(journal.results.count == 8)
        #expect(journal.topology == nil && journal.initialStates.isEmpty && journal.captures.isEmpty)
        #expect(journal.results.allSatisfy { $0.stateChanges == nil })
        // Without `elapsed`, a start is the whole seconds between the records' times.
        #expect(journal.unitStarts.values.allSatisfy { $0 == $0.rounded() })
        // The report still renders, saying what it cannot tell; with -t the topology is drawn.
        let page = fixture.directory + "/old.html"
        try RunReportPage.write(journal, runDirectory: fixture.directory, to: page)
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("give it with -t"))
        try RunReportPage.write(journal, runDirectory: fixture.directory, to: page, topology: fixture.topology)
        let drawn = try String(contentsOfFile: page, encoding: .utf8)
        #expect(drawn.contains("<div class=\"picture\">") && drawn.contains("identities and arcs cannot be told"))
    }

    @Test("the ETA is the mean time per finished unit times the units left")
    func estimate() {
        #expect(ProgressEstimate.remaining(elapsed: 2, finishedUnits: 4, totalUnits: 10) == 3)
        #expect(ProgressEstimate.remaining(elapsed: 2, finishedUnits: 0, totalUnits: 10) == nil)
        #expect(ProgressEstimate.remaining(elapsed: 2, finishedUnits: 10, totalUnits: 10) == nil)
        #expect(ProgressEstimate.format(3.04) == "3.0 s")
        #expect(ProgressEstimate.format(185) == "3 min 05 s")
    }
}
