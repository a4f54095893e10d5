import ArgumentParser
import Foundation
import Orchestrator
import PlanModel

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a documentation page, a replay script or a session file (or a YAML plan) into a YAML plan.",
        discussion: """
            The report goes to stderr: steps, blocks and commands per node, encoding repairs, systems inferred for \
            blocks whose name was lost, warnings. The plan goes to -o FILE, or to stdout. Prose-only steps and \
            blocks without commands have no place in a YAML plan; the report lists them. Exit codes: 0 ok, \
            2 invalid input.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(
        help: "A page (.md or Markdown), a script (.sh, a shebang or lxc exec lines), a session file, a YAML plan.")
    var source: String
    @Option(name: [.customShort("o"), .long], help: "Write the YAML plan here (default: stdout).")
    var output: String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The system of the block at a source line (its '**sistema**' line or heredoc), when the import cannot tell.",
            valueName: "LINE=NODE"))
    var assume: [String] = []
    @Flag(name: .long, help: Self.sleepAsRetryHelp)
    var sleepAsRetry = false

    static let sleepAsRetryHelp: ArgumentHelp =
        "In a session file, make a 'sleep N' right before a check that check's retry timeout instead of a wait."

    func validate() throws {
        _ = try Self.assumptions(assume)
    }

    /// `57=epsilon` → [57: "epsilon"].
    static func assumptions(_ values: [String]) throws -> [Int: String] {
        var result: [Int: String] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let line = Int(parts[0]), line >= 1, !parts[1].isEmpty else {
                throw ValidationError("--assume takes LINE=NODE (for example 57=epsilon), not '\(value)'")
            }
            guard result[line] == nil else { throw ValidationError("--assume gives line \(line) more than once") }
            result[line] = String(parts[1])
        }
        return result
    }

    func run() async throws {
        _ = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let result = try PlanSource.load(
                path: source, topology: topology, assumptions: Self.assumptions(assume),
                session: .init(sleepAsRetry: sleepAsRetry))
            Terminal.standardError.write(result.report.text)
            let omissions = PlanYAMLWriter.omissions(result.plan)
            for omission in omissions { Terminal.standardError.write("not in the YAML plan: \(omission)\n") }
            guard !PlanYAMLWriter.representable(result.plan, topology: topology).steps.isEmpty else {
                throw InputErrors([
                    InputError(
                        .missingKey, "nothing in '\(source)' runs, so there is no YAML plan to write",
                        at: InputLocation(file: source, line: 1),
                        hint: "render it as a page instead: testbed render -t TOPOLOGY \(source)")
                ])
            }
            let yaml = PlanYAMLWriter.write(result.plan, topology: topology)
            if let output {
                try OutputFile.write(yaml, to: output)
                Terminal.standardError.write("wrote \(output)\n")
            } else {
                Terminal.standardOutput.write(yaml)
            }
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
