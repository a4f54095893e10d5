import ArgumentParser
import PlanModel

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a documentation page out of context: synthesise the state it assumes, then run it checked.",
        discussion: """
            A page describes the middle of a story: it changes routes, uses tables and deletes rules that earlier \
            pages created. replay works out the minimal prior state the page needs (routes, rt_tables lines and \
            table numbers, rules, addresses, iptables rules, namespaces with their macvlan), prints it, applies it \
            to fresh lab nodes, and runs the page with a state check after every block.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(help: "The page (.md), script (.sh) or YAML plan to replay.")
    var page: String
    @OptionGroup var flags: RunFlags

    func run() async throws {
        let logger = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            guard topology.usesLocalLab else {
                throw ValidationError(
                    "replay builds its prior state on fresh lab nodes; '\(topology.name)' names SSH endpoints")
            }
            let imported = try PlanSource.load(
                path: page, topology: topology, assumptions: ImportCommand.assumptions(flags.assume))
            if imported.report.format != .yaml { Terminal.standardError.write(imported.report.text) }
            let synthesis = PriorStateSynthesizer(topology: topology).synthesize(imported.plan)
            Terminal.standardError.write("prior state synthesised for \(page):\n\(synthesis.summary)\n")
            var plan = imported.plan
            var setup = synthesis.setupSteps(sourcePath: page + " (synthesised prior state)")
            if !setup.isEmpty { setup[setup.count - 1].isBarrier = true }
            plan.steps = setup + plan.steps
            try await RunOutput(flags: flags).run(plan, topology: topology, fresh: true, logger: logger)
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
