import ArgumentParser
import Netsukuku
import PlanModel

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a topology, and plans against it, for mistakes without touching any node.",
        discussion: "Every problem is reported at once as file:line:col with a hint. Exit 0 when valid, 2 otherwise.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(help: "Plans to check against the topology.")
    var plans: [String] = []
    @Option(
        name: .long, help: ArgumentHelp("A value for the plans' ${NAME} (their parameters).", valueName: "NAME=VALUE"))
    var define: [String] = []

    func run() async throws {
        _ = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let interfaces = topology.nodes.values.reduce(0) { $0 + $1.interfaces.count }
            Terminal.standardOutput.write(
                "\(topologyOption.topology): ok — lab '\(topology.name)', \(topology.nodes.count) nodes, "
                    + "\(interfaces) interfaces, \(topology.segments.count) segments\n")
            let defines = try RunCommand.definitions(define)
            var failures: [InputErrors] = []
            for path in plans {
                do {
                    let loaded = try PlanInput.load(path, topology: topology, defines: defines, runsPrograms: false)
                    let plan = loaded.plan
                    for warning in loaded.report.warnings { Terminal.standardError.write("\(warning)\n") }
                    let counts = plan.counts
                    Terminal.standardOutput.write(
                        "\(path): ok — \(counts.steps) steps, \(counts.blocks) blocks, \(counts.checks) checks, "
                            + "\(counts.commands) commands on \(plan.nodes.count) nodes\n")
                } catch {
                    failures.append(error)
                }
            }
            guard failures.isEmpty else {
                throw InputErrors(failures.flatMap(\.errors))
            }
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
