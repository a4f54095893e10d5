import ArgumentParser
import Foundation
import Orchestrator
import PlanModel

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a topology as SVG: nodes, segments (with their lab bridges) and interfaces.",
        discussion: """
            Laid out by Graphviz (dot, Debian package graphviz). --dot prints the graph in the DOT language \
            instead. Exit codes: 0 ok, 2 invalid input or Graphviz missing or failing.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Option(name: [.customShort("o"), .long], help: "Write the SVG here (default: stdout).")
    var output: String?
    @Flag(name: .long, help: "Print the DOT text instead of laying it out.")
    var dot = false

    func run() async throws {
        _ = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let picture = TopologyPicture(topology: topology)
            let text: String
            if dot {
                text = picture.dot
            } else {
                do {
                    text = try Graphviz.svg(picture.dot)
                } catch {
                    throw ReportError(
                        "cannot draw \(topologyOption.topology)",
                        hint: "install Graphviz: Scripts/install-deps", cause: error.description)
                }
            }
            if let output {
                do {
                    try OutputFile.write(text, to: output)
                } catch {
                    throw ReportError(
                        "cannot write \(output)", hint: "give -o a writable path",
                        cause: error.localizedDescription)
                }
                Terminal.standardError.write("wrote \(output)\n")
            } else {
                Terminal.standardOutput.write(text)
            }
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
