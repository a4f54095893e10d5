import ArgumentParser
import Orchestrator
import PlanModel

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a plan on every node of a topology in the right cross-node order, checking every step.",
        discussion: """
            A local topology runs on its lab (brought up first if it is not). After every block testbed checks \
            its exit status and compares the node's kernel state with what the model predicts. Exit codes: 0 all \
            steps and checks passed, 1 a step or check failed, 2 invalid input, 3 a node could not be reached, \
            130 interrupted.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Argument(help: "The plan: a YAML plan, a documentation page (.md) or an LXC replay script (.sh).")
    var plan: String
    @OptionGroup var flags: RunFlags
    @Flag(name: .long, help: "Take the lab down and bring it up again first, so the plan starts on fresh nodes.")
    var fresh = false
    @Flag(
        name: .long,
        help: """
            Continue the latest run of this plan on this lab or cluster where it stopped (killed, interrupted, or \
            failed and fixed by hand): where each node stopped is found from its kernel state.
            """)
    var resume = false
    @Argument(help: "With --resume: the run to continue (its directory, journal, or id); default: the latest.")
    var resumeRun: String?

    func validate() throws {
        if resumeRun != nil && !resume { throw ValidationError("a second argument names the run of --resume") }
        if resume && fresh {
            throw ValidationError("--resume continues the nodes as they are; --fresh would reset them")
        }
    }

    func run() async throws {
        let logger = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let imported = try PlanSource.load(
                path: plan, topology: topology, assumptions: ImportCommand.assumptions(flags.assume))
            try TopologyVariants.verify(imported.plan, topology: topology)
            let target: RunSettings.ResumeTarget? = resume ? resumeRun.map { .run($0) } ?? .latest : nil
            try await RunOutput(flags: flags).run(
                imported.plan, topology: topology, fresh: fresh, resume: target, logger: logger)
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
