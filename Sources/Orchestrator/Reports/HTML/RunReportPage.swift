import Foundation
public import PlanModel

/// The HTML report of a run: one self-contained file (inline CSS, script and SVG; no URL to fetch; works
/// from `file://`) with the summary figures, failures and their explanations, the swimlane timeline, each
/// unit's commands and output, the state changes of each step, the topology drawn by Graphviz as it stands
/// after the selected step, and links to the run's packet captures and whole outputs.
///
/// The page is also well-formed XML, so tests parse it strictly. Everything is rendered here; the script
/// only shows and hides (details of the clicked bar, the selected step's state and picture) and zooms.
public struct RunReportPage: Sendable {
    /// Everything the page shows, gathered (with its I/O) by `write`.
    public struct Input: Sendable {
        public var journal: RunJournal
        public var replay: RunStateReplay
        public var timeline: RunTimeline
        /// The topology picture as inline SVG, or why there is none.
        public var topologySVG: String?
        public var topologyNote: String?
        public var presence: [String: [Bool]]
        public var captures: [Capture]
        /// Relative URL from the page to the run directory (ends with `/`, or empty when they are the same).
        public var runLink: String
        public var runDirectory: String
        /// Files of the run directory the page may link (whole outputs), relative to it.
        public var existingFiles: Set<String>
    }

    public struct Capture: Sendable {
        public var file: PacketCaptureFile
        public var bytes: Int?
        /// tcpdump's closing lines (`12 packets captured`).
        public var summary: String
    }

    let input: Input
    var journal: RunJournal { input.journal }
    var plan: Plan { input.journal.plan }

    /// Reads what the page needs beside the journal (the topology picture through Graphviz, the captures and
    /// output files of the run directory) and writes the page.
    /// - Parameters:
    ///   - topology: For journals written before they recorded the topology.
    /// - Throws: when the page cannot be written.
    public static func write(_ journal: RunJournal, runDirectory: String, to path: String, topology: Topology? = nil)
        throws
    {
        let page = RunReportPage(input: gather(journal, runDirectory: runDirectory, pagePath: path, topology: topology))
        try OutputFile.write(page.html, to: path)
    }

    static func gather(_ journal: RunJournal, runDirectory: String, pagePath: String, topology: Topology?) -> Input {
        var journal = journal
        journal.topology = journal.topology ?? topology
        // Skipped units have no unit_finished record; the run's report lists every unit.
        if let report = journal.report, report.results.count > journal.results.count {
            journal.results = report.results
        }
        let replay = RunStateReplay(journal: journal)
        var svg: String?
        var note: String?
        var presence: [String: [Bool]] = [:]
        if let topology = journal.topology {
            let picture = TopologyPicture(topology: topology, frames: replay.frames)
            presence = picture.presence
            do {
                svg = Graphviz.inline(try Graphviz.svg(picture.dot))
            } catch {
                note = error.description
            }
        } else {
            note = "this journal does not record the topology (written by an older testbed): give it with -t"
        }
        let manager = FileManager.default
        let captures = journal.captures.map { file in
            let attributes = try? manager.attributesOfItem(atPath: runDirectory + "/" + file.file)
            let log = (try? String(contentsOfFile: runDirectory + "/" + file.log, encoding: .utf8)) ?? ""
            let summary = log.split(separator: "\n").filter { $0.contains("packets") }.joined(separator: ", ")
            return Capture(file: file, bytes: (attributes?[.size] as? NSNumber)?.intValue, summary: summary)
        }
        let outputs = journal.results.flatMap { [$0.stdoutFile, $0.stderrFile].compactMap { $0 } }
        let absoluteRun = URL(fileURLWithPath: runDirectory).standardizedFileURL.path
        let absolutePage = URL(fileURLWithPath: pagePath).standardizedFileURL.path
        var runLink = HTMLText.relativeLink(from: absolutePage, to: absoluteRun + "/x")
        runLink.removeLast()
        return Input(
            journal: journal, replay: replay, timeline: RunTimeline(journal: journal, replay: replay),
            topologySVG: svg, topologyNote: note, presence: presence, captures: captures, runLink: runLink,
            runDirectory: absoluteRun,
            existingFiles: Set(outputs.filter { manager.fileExists(atPath: runDirectory + "/" + $0) }))
    }

    public init(input: Input) { self.input = input }

    /// The whole page.
    public var html: String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        page +=
            "<title>\(HTMLText.escape(plan.title.isEmpty ? "testbed run" : plan.title)) — testbed run report</title>\n"
        page += "<script>//<![CDATA[\n\(RunReportAssets.errorTrap)\n//]]></script>\n"
        page += "<style>\n\(RunReportAssets.css)\n</style>\n</head>\n<body>\n"
        page += summarySection + failuresSection + timelineSection
        page += "<div class=\"columns\">\n" + unitsSection + stepsSection + "</div>\n"
        page += topologySection + stateSection + capturesSection
        page += "<footer>Written by testbed from \(HTMLText.escape(input.runDirectory))/journal.jsonl</footer>\n"
        page += "<script type=\"application/json\" id=\"presence\">\(HTMLText.json(input.presence))</script>\n"
        page +=
            "<script type=\"application/json\" id=\"frames\">\(HTMLText.json(input.replay.frames.map(\.label)))</script>\n"
        page += "<script>//<![CDATA[\n\(RunReportAssets.script)\n//]]></script>\n</body>\n</html>\n"
        return page
    }

    /// A link into the run directory.
    func runFileLink(_ relative: String) -> String { HTMLText.escape(input.runLink + relative) }

    func stepTitle(_ index: Int) -> String {
        guard plan.steps.indices.contains(index) else { return "step \(index + 1)" }
        let step = plan.steps[index]
        return "step \(index + 1) \(step.id)" + (step.title.isEmpty || step.title == step.id ? "" : " — \(step.title)")
    }

    static func statusWord(_ status: UnitResult.Status) -> String {
        switch status {
        case .passed: "passed"
        case .failed: "failed"
        case .skipped: "skipped"
        }
    }
}
