import ArgumentParser
import Netsukuku
import PlanModel

/// `testbed check -t TOPO PLAN`: runs a plan through the kernel-state model, offline, and reports every
/// command that would fail (with its source line and why) and every command the model does not know.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check offline, without touching any node, whether every command of a plan can succeed.",
        discussion: """
            Each node starts as a fresh lab node (lo and its topology interfaces up, the topology's MACs, the \
            host's rt_tables) unless --replay synthesises the state a page from the middle of a story assumes. \
            Commands after a failing one in the same block are not run (set -e), later blocks are. Commands the \
            model does not know are listed; what they may change is unknown from then on. \
            Exit codes: 0 nothing would fail, 1 a command would fail, 2 invalid input.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(help: "A YAML plan, a Netsukuku scenario, a documentation page (.md) or an LXC replay script (.sh).")
    var plan: String
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The system of the block at a source line, when the import cannot tell.", valueName: "LINE=NODE"))
    var assume: [String] = []
    @Flag(name: .long, help: "First synthesise the prior state the plan assumes (as `replay` does) and print it.")
    var replay = false
    @Flag(name: .long, help: "Do not list the commands the model does not know.")
    var quietUnknown = false
    @Option(
        name: .long, help: ArgumentHelp("A value for the plan's ${NAME} (its parameters).", valueName: "NAME=VALUE"))
    var define: [String] = []

    func validate() throws {
        _ = try ImportCommand.assumptions(assume)
    }

    func run() async throws {
        _ = global.bootstrap()
        let report: CheckReport
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let loaded = try PlanInput.load(
                plan, topology: topology, defines: RunCommand.definitions(define), runsPrograms: false,
                assumptions: ImportCommand.assumptions(assume))
            for warning in loaded.report.warnings { Terminal.standardError.write("\(warning)\n") }
            var initial: [NodeName: NodeState] = [:]
            if replay {
                let synthesis = PriorStateSynthesizer(topology: topology).synthesize(loaded.plan)
                Terminal.standardOutput.write("prior state:\n" + synthesis.summary + "\n\n")
                initial = synthesis.states
            }
            report = PlanChecker(topology: topology, initialStates: initial).check(loaded.plan)
            let counts = loaded.plan.counts
            for finding in report.findings where finding.kind == .wouldFail || !quietUnknown {
                Terminal.standardOutput.write("\(finding)\n")
            }
            let failures = report.failures.count
            let unknown = report.notModelled.count
            Terminal.standardOutput.write(
                "\(plan): \(counts.commands) commands in \(counts.blocks) blocks on \(loaded.plan.nodes.count) nodes: "
                    + "\(failures) would fail, \(unknown) not modelled\n")
        } catch {
            throw ErrorReporting.report(error)
        }
        if report.hasFailures { throw ExitCode(ExitCodes.failed) }
    }
}
