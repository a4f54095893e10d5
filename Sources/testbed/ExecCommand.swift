import ArgumentParser
import NodeAgentProtocol
import Orchestrator
import PlanModel

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run one command on a node through its agent and exit with the command's status.",
        discussion: """
            Several words after -- are kept as given, as by lxc exec or docker exec: each is quoted for the \
            node's shell (testbed exec alfa -- sh -c 'exit 7' exits 7; -- echo '$(id)' prints $(id)). A single \
            word is a shell script run by bash (testbed exec alfa -- 'ip -br link | grep eth1'). Lab nodes are \
            reached over SSH (sshd -i in the node); --transport local enters them with nsenter instead. Exit \
            status: the command's; 124 when it was stopped by --timeout.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topologyOption: TopologyOption
    @Option(name: .long, help: "For lab nodes: ssh (default) or local.")
    var transport: Fleet.LabTransport = .ssh
    @Option(name: .long, help: "Seconds before the command is stopped.")
    var timeout: Double = 120
    @Option(name: .long, help: "Run inside this network namespace of the node.")
    var netns: NamespaceName?
    @Argument(help: "The node (name or alias).")
    var node: String
    @Argument(parsing: .postTerminator, help: "The command: several words (argv), or one word (a shell script).")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else {
            throw ValidationError("give the command after --, e.g. testbed exec -t FILE alfa -- ip -br link")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let logger = global.bootstrap()
        SignalSetup.ignoreSIGPIPE()
        let result: NodeResponse.RunResult
        do {
            let topology = try TopologyLoader.load(path: topologyOption.topology)
            result = try await NodeSession.exec(
                ExecScript.make(command), on: node, netns: netns, topology: topology,
                timeout: .milliseconds(Int(timeout * 1000)), transport: transport, logger: logger)
        } catch {
            throw ErrorReporting.report(error)
        }
        FileOutput.standardOutput.write(result.stdout)
        FileOutput.standardError.write(result.stderr)
        if result.timedOut {
            Terminal.standardError.write("testbed: the command was stopped after \(timeout) s\n")
            throw ExitCode(ExitCodes.timedOut)
        }
        if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
    }
}
