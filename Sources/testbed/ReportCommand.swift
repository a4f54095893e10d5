import ArgumentParser
import Foundation
import Orchestrator
import PlanModel

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the HTML report of a run: swimlanes, the topology drawn, state changes, captures.",
        discussion: """
            RUN is a run directory (see the end of a run's summary) or its journal.jsonl. The page is one \
            self-contained file that works from file:// (nothing is fetched); it links the run's packet \
            captures and whole outputs relatively. The topology is laid out by Graphviz (dot). \
            Exit codes: 0 ok, 2 invalid input or the page cannot be written.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A run directory or its journal.jsonl.")
    var run: String
    @Option(name: [.customShort("o"), .long], help: "Write the page here (default: report.html in the run directory).")
    var output: String?
    @Option(
        name: [.customShort("t"), .customLong("topo")],
        help: "The topology, for journals written before testbed recorded it in the journal.")
    var topology: String?

    func run() async throws {
        _ = global.bootstrap()
        do {
            var isDirectory: ObjCBool = false
            let isRunDirectory =
                FileManager.default.fileExists(atPath: run, isDirectory: &isDirectory) && isDirectory.boolValue
            let journalPath = isRunDirectory ? run + "/journal.jsonl" : run
            let directory = (journalPath as NSString).deletingLastPathComponent
            let journal = try RunJournal.read(path: journalPath)
            for warning in journal.warnings { Terminal.standardError.write("\(warning)\n") }
            let given = try topology.map { (path) throws(InputErrors) in try TopologyLoader.load(path: path) }
            let path = output ?? (directory.isEmpty ? "." : directory) + "/report.html"
            do {
                try RunReportPage.write(
                    journal, runDirectory: directory.isEmpty ? "." : directory, to: path, topology: given)
            } catch {
                throw ReportError(
                    "cannot write the HTML report \(path)",
                    hint: "give -o a writable path", cause: "\(error)")
            }
            Terminal.standardOutput.write("wrote \(path)\n")
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
