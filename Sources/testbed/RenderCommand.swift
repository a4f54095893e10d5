import ArgumentParser
import Foundation
import Netsukuku
import Orchestrator
import PlanModel

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract:
            "Write a plan (YAML plan, page or script), or a finished run (its journal.jsonl), as a documentation page.",
        discussion: """
            The page has the documentation's format: '# title', headings with their anchors, prose, \
            '**sistema 𝛽**' and a fenced block per command block, ping checks as their lines. It imports back into \
            the same plan. Exit codes: 0 ok, 2 invalid input.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(
        help: "A YAML plan, a scenario (a section per operation), a page, a script, or a run journal (journal.jsonl).")
    var source: String
    @Option(name: [.customShort("o"), .long], help: "Write the page here (default: stdout).")
    var output: String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The system of the block at a source line, when importing a page or script cannot tell.",
            valueName: "LINE=NODE"))
    var assume: [String] = []
    @Flag(name: .long, help: ImportCommand.sleepAsRetryHelp)
    var sleepAsRetry = false

    func validate() throws {
        _ = try ImportCommand.assumptions(assume)
    }

    func run() async throws {
        _ = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            if source.hasSuffix(".jsonl") {
                let journal = try RunJournal.read(path: source)
                for warning in journal.warnings { Terminal.standardError.write("\(warning)\n") }
                let annotations = RunAnnotations.make(plan: journal.plan, results: journal.results)
                try emit(PageRenderer.render(journal.plan, topology: topology, annotations: annotations))
                return
            }
            let result = try PlanSource.load(
                path: source, topology: topology, assumptions: ImportCommand.assumptions(assume),
                scenarios: ScenarioPlanCompiler(), session: .init(sleepAsRetry: sleepAsRetry))
            if result.report.format != .yaml || !result.report.warnings.isEmpty {
                Terminal.standardError.write(result.report.text)
            }
            try emit(PageRenderer.render(result.plan, topology: topology))
        } catch {
            throw ErrorReporting.report(error)
        }
    }

    private func emit(_ page: String) throws {
        if let output {
            try OutputFile.write(page, to: output)
            Terminal.standardError.write("wrote \(output)\n")
        } else {
            Terminal.standardOutput.write(page)
        }
    }
}
