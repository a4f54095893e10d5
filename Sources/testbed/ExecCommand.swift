import ArgumentParser
import NodeAgentProtocol
import Orchestrator
import PlanModel

struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run one command on a node through its agent and exit with the command's status.",
        discussion: """
            The words after -- are joined with spaces and run by bash on the node, as ssh does. \
            Lab nodes are reached over SSH (sshd -i in the node); --transport local enters them with nsenter instead.
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
    @Argument(parsing: .postTerminator, help: "The command.")
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
            guard let resolved = topology.node(named: node) else {
                throw ValidationError(
                    "unknown node '\(node)'; nodes of '\(topology.name)': \(topology.nodes.keys.joined(separator: ", "))"
                )
            }
            let (targets, _) = try Fleet.targets(for: topology, labTransport: transport, bringUp: false, logger: logger)
            guard let target = targets.first(where: { $0.0 == resolved.name })?.1 else {
                throw ValidationError("node '\(resolved.name)' has no target")
            }
            let connection = NodeConnection(name: resolved.name, target: target, logger: logger)
            try await connection.connect()
            let blockTimeout = Duration.milliseconds(Int(timeout * 1000))
            let request = NodeRequest.RunRequest(
                script: command.joined(separator: " "), netns: netns, timeout: blockTimeout, stopAtFirstFailure: false)
            let responses = try await connection.send([.run(request)], timeout: blockTimeout + .seconds(15))
            await connection.close()
            guard case .run(let run)? = responses.first else {
                if case .failure(let message)? = responses.first {
                    throw ValidationError("node '\(resolved.name)': \(message)")
                }
                throw ValidationError("unexpected answer from the agent")
            }
            result = run
        } catch {
            throw ErrorReporting.report(error)
        }
        FileOutput.standardOutput.write(result.stdout)
        FileOutput.standardError.write(result.stderr)
        if result.timedOut {
            Terminal.standardError.write("testbed: the command was stopped after \(timeout) s\n")
            throw ExitCode(124)
        }
        if result.exitStatus != 0 { throw ExitCode(result.exitStatus) }
    }
}
