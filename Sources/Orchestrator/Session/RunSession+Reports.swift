import Foundation
import PlanModel

extension RunSession {
    /// Starts the packet captures `--pcap` asked for, on the local lab's bridges.
    /// - Throws: `SessionError` for an unknown segment, a topology without a local lab, or tcpdump failing.
    func startCaptures(_ origin: NodeTargets.Origin, directory: RunDirectory) throws(SessionError) -> PacketCaptures? {
        guard let names = settings.captureSegments else { return nil }
        guard let lab = origin.labSummary else {
            throw SessionError(
                code: .captureFailed, message: "--pcap captures on the local lab's bridges; this topology has none",
                hint: "capture on SSH nodes with their own tools, or run the topology as a local lab")
        }
        let files: [PacketCaptureFile]
        switch PacketCaptureFile.plan(names, segments: topology.segments.map(\.name)) {
        case .success(let planned): files = planned
        case .failure(let unknown):
            let known = topology.segments.enumerated().map { "\($0.element.name) (seg\($0.offset))" }
            throw SessionError(
                code: .unknownSegment,
                message: "the topology has no segment \(unknown.names.map { "'\($0)'" }.joined(separator: ", "))",
                hint: "segments: \(known.joined(separator: ", "))")
        }
        return try PacketCaptures.start(
            files, lab: lab, paths: LabPaths(name: topology.name, root: settings.stateRoot),
            runDirectory: directory.path, logger: logger)
    }

    /// Writes the JUnit report of the finished run, when `--junit` asked for one.
    func writeJUnit(_ report: RunReport, journalPath: String) throws(SessionError) {
        guard let junit = settings.junitPath else { return }
        do {
            try OutputFile.write(JUnitWriter.xml(report: report, plan: plan), to: junit)
        } catch {
            throw SessionError(
                code: .reportUnwritable, message: "cannot write the JUnit report \(junit)",
                hint: "give --junit a writable path; the run itself is recorded in \(journalPath)",
                cause: error.localizedDescription)
        }
    }

    /// Writes the HTML report from the journal just closed, as `testbed report` would.
    func writeHTML(journalPath: String) throws(SessionError) {
        guard let path = settings.htmlPath else { return }
        do {
            let journal = try RunJournal.read(path: journalPath)
            try RunReportPage.write(
                journal, runDirectory: (journalPath as NSString).deletingLastPathComponent, to: path)
        } catch {
            throw SessionError(
                code: .reportUnwritable, message: "cannot write the HTML report \(path)",
                hint: "give --html a writable path; the run itself is recorded in \(journalPath)",
                cause: "\(error)")
        }
    }
}
