import ArgumentParser
import Netsukuku
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
    @Argument(
        help: """
            The plan: a YAML plan, a Netsukuku scenario (top-level 'scenario:', compiled first), a documentation \
            page (.md), a replay script (.sh) or a session file.
            """)
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

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A value for ${NAME} in the plan (a declared parameter of a YAML plan); repeatable.",
            valueName: "NAME=VALUE"))
    var define: [String] = []
    @Flag(name: .long, help: ImportCommand.sleepAsRetryHelp)
    var sleepAsRetry = false

    func validate() throws {
        if resumeRun != nil && !resume { throw ValidationError("a second argument names the run of --resume") }
        if resume && fresh {
            throw ValidationError("--resume continues the nodes as they are; --fresh would reset them")
        }
        _ = try Self.definitions(define)
    }

    /// `NAME=VALUE` pairs; the values are checked where the plan uses them.
    static func definitions(_ given: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in given {
            guard let equals = item.firstIndex(of: "="), PlanParameters.isName(String(item[..<equals])) else {
                throw ValidationError("--define \(item): write NAME=VALUE (NAME of letters, digits and _)")
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    func run() async throws {
        let logger = global.bootstrap()
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            let imported = try PlanInput.load(
                plan, topology: topology, defines: RunCommand.definitions(define), runsPrograms: !flags.dryRun,
                assumptions: ImportCommand.assumptions(flags.assume), session: .init(sleepAsRetry: sleepAsRetry))
            try TopologyVariants.verify(imported.plan, topology: topology)
            let target: RunSettings.ResumeTarget? = resume ? resumeRun.map { .run($0) } ?? .latest : nil
            try await RunOutput(flags: flags).run(
                imported.plan, topology: topology, fresh: fresh, resume: target, logger: logger)
        } catch {
            throw ErrorReporting.report(error)
        }
    }
}
