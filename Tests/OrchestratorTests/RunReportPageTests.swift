import Foundation
import PlanModel
import Testing

@testable import Orchestrator

/// The HTML report from a journal: well formed, self-contained, every unit, the failure, the state, the picture.
@Suite("the HTML run report") struct RunReportPageTests {
    static let xmllint = "/usr/bin/xmllint"

    func page(_ fixture: RunReportFixture, longOutput: Bool = false) throws -> (String, String) {
        let journal = try fixture.journal(longOutput: longOutput)
        let path = fixture.directory + "/report.html"
        try RunReportPage.write(journal, runDirectory: fixture.directory, to: path)
        return (path, try String(contentsOfFile: path, encoding: .utf8))
    }

    /// `xmllint --noout` (XML, strict): the status and what it said.
    func parse(_ path: String) throws -> ProcessOutput { try ProcessRunner.run(Self.xmllint, ["--noout", path]) }

    @Test("the page is well-formed XML and the parse bites: a page with a tag left open is rejected")
    func wellFormed() throws {
        let (path, html) = try page(try RunReportFixture())
        let parsed = try parse(path)
        #expect(parsed.status == .exited(0), "\(parsed.stderrText)")
        #expect(parsed.stderrText.isEmpty, "\(parsed.stderrText)")
        let broken = path + ".broken.html"
        try html.replacingOccurrences(of: "</footer>", with: "").write(
            toFile: broken, atomically: true, encoding: .utf8)
        #expect(try parse(broken).status != .exited(0))
    }

    @Test("the page is self-contained: no http or https URL, no external script, style or image")
    func selfContained() throws {
        let (_, html) = try page(try RunReportFixture())
        #expect(!html.contains("http:") && !html.contains("https:"))
        #expect(!html.contains("<link") && !html.contains(" src=\""))
        #expect(html.contains("<svg id=\"swimlanes\""))
        #expect(html.contains("<title>a small run &amp; its &lt;report&gt; — testbed run report</title>"))
    }

    @Test("every unit has its panel, every unit that ran its bar; the failed one is red with its commands")
    func everyUnit() throws {
        let fixture = try RunReportFixture()
        let journal = try fixture.journal()
        let (_, html) = try page(fixture)
        #expect(journal.results.count == 8, "the skipped unit is only in the report record")
        let every = try #require(journal.report?.results)
        #expect(every.count == 9)
        for result in every {
            let id = RunTimeline.id(of: result.unit)
            #expect(
                html.contains("<article class=\"unit \(RunReportPage.statusWord(result.status))\" id=\"\(id)\""),
                "\(id)")
            if result.status != .skipped { #expect(html.contains("data-unit=\"\(id)\" data-step="), "\(id)") }
        }
        #expect(html.contains("<rect class=\"bar failed\" data-unit=\"u-7-1-c\""))
        #expect(!html.contains("data-unit=\"u-8-1-a\" data-step="), "a skipped unit has no bar")
        #expect(html.contains("<g class=\"check passed\" data-unit=\"u-4-c-a\">"))
        // The failed unit: which command failed at which plan line, what ran before, what never ran.
        let plan = fixture.directory + "/plan.yaml"
        #expect(
            html.contains(
                "<tr class=\"failed\"><td class=\"where\" title=\"\(plan):22\">plan.yaml:22</td><td><code>ip route change 10.0.0.0/24 via 10.9.9.9 dev eth1</code></td><td>exit 2</td></tr>"
            ))
        #expect(
            html.contains(
                "<tr class=\"ok\"><td class=\"where\" title=\"\(plan):21\">plan.yaml:21</td><td><code>echo starting</code>"
            ))
        #expect(
            html.contains(
                "<tr class=\"not-run\"><td class=\"where\" title=\"\(plan):23\">plan.yaml:23</td><td><code>echo never</code>"
            ))
        #expect(html.contains("Error: Nexthop has invalid gateway."))
        #expect(html.contains("<p class=\"verdict failed\">FAILED</p>"))
    }

    @Test("lanes are the nodes, plus a lane for a namespace a unit ran in; the schedule's stages are drawn")
    func lanesAndStages() throws {
        let fixture = try RunReportFixture()
        let journal = try fixture.journal()
        let timeline = RunTimeline(journal: journal, replay: RunStateReplay(journal: journal))
        #expect(timeline.lanes.map(\.label) == ["a", "b", "b · n1", "c"])
        #expect(timeline.stages.count == fixture.schedule.stages.count)
        // The reach check from a spans the lane of b, which holds the address it pings.
        let check = try #require(timeline.bars.first { $0.isCheck })
        #expect(check.lanes == 0...1)
        // Start times come from unit_started records, in sub-second steps.
        #expect(journal.unitStarts.count == 8)
        #expect(timeline.bars.allSatisfy { $0.start >= 0 && $0.start < 5 })
    }

    @Test("the failure section has a place for the explanation, filled when the result carries one")
    func explanation() throws {
        let (_, without) = try page(try RunReportFixture())
        #expect(
            without.contains(
                "<div class=\"explanation none\" data-field=\"explanation\">No explanation recorded.</div>"))
        let (_, with) = try page(try RunReportFixture(explanation: "10.9.9.9 is not on any link of c"))
        #expect(with.contains("<h4>Explanation</h4><pre>10.9.9.9 is not on any link of c</pre>"))
    }

    @Test("the state view lists each step's changes by node, namespace and table")
    func stateView() throws {
        let (_, html) = try page(try RunReportFixture())
        #expect(html.contains("<h5>a · default namespace · route main</h5>"))
        #expect(
            html.contains(
                "<li class=\"added\"><span class=\"sign\">+</span> 169.254.1.2 dev eth1 scope link src 169.254.1.1</li>"
            ))
        #expect(html.contains("<h5>b · default namespace · namespace</h5>"))
        #expect(html.contains("<h5>b · netns n1 · link</h5>"))
    }

    @Test("the topology is drawn by Graphviz with the namespace and the arcs, shown step by step")
    func topology() throws {
        let fixture = try RunReportFixture()
        let journal = try fixture.journal()
        let replay = RunStateReplay(journal: journal)
        let picture = TopologyPicture(topology: fixture.topology, frames: replay.frames)
        let presence = picture.presence
        // Steps: start-a, start-b, arc, hear, identity, inside, broken, after.
        #expect(presence["g-a-a-to-b-eth1"] == [false, false, true, true, true, true, true, true])
        #expect(presence["g-a-b-to-a-eth1"] == [false, false, true, true, true, true, true, true])
        #expect(presence["g-i-b--n1"] == [false, false, false, false, true, true, true, true])
        let (_, html) = try page(fixture)
        #expect(html.contains("<g id=\"g&#45;i&#45;b&#45;&#45;n1\" class=\"node\">"))
        #expect(html.contains("<g id=\"g&#45;a&#45;a&#45;to&#45;b&#45;eth1\" class=\"edge arc\">"))
        #expect(html.contains("\"g-i-b--n1\":[false,false,false,false,true,true,true,true]"))
    }

    @Test("whole outputs and packet captures are linked relative to the page, so file:// works")
    func links() throws {
        let fixture = try RunReportFixture()
        let (_, html) = try page(fixture, longOutput: true)
        #expect(html.contains("<a href=\"output/6-1-b.stdout\">whole stdout</a>"))
        #expect(html.contains("<a href=\"pcap/seg0-lan.pcap\">pcap/seg0-lan.pcap</a>"))
        let elsewhere = NSTemporaryDirectory() + "elsewhere-\(UUID().uuidString)/page.html"
        try FileManager.default.createDirectory(
            atPath: (elsewhere as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try RunReportPage.write(
            try RunJournal.read(path: fixture.journalPath), runDirectory: fixture.directory, to: elsewhere)
        let other = try String(contentsOfFile: elsewhere, encoding: .utf8)
        let runName = (fixture.directory as NSString).lastPathComponent
        #expect(other.contains("<a href=\"../\(runName)/output/6-1-b.stdout\">whole stdout</a>"))
        #expect(HTMLText.relativeLink(from: "/a/b/page.html", to: "/a/c d/x.pcap") == "../c%20d/x.pcap")
    }
}
