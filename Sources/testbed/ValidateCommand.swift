import ArgumentParser
import PlanModel

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a topology (and plans) for mistakes without touching any node.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption

    func run() async throws {
        _ = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let interfaces = topology.nodes.values.reduce(0) { $0 + $1.interfaces.count }
            Terminal.standardOutput.write(
                "\(topologyOption.topology): ok — lab '\(topology.name)', \(topology.nodes.count) nodes, "
                    + "\(interfaces) interfaces, \(topology.segments.count) segments\n")
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
