public import Logging
public import NodeAgentProtocol
public import PlanModel

/// The one connection testbed keeps to a node: an SSH session (or a local process) and one long-lived
/// agent channel that every block, check and state query of a run goes through.
///
/// An actor on its own thread (`ThreadExecutor`): libssh2 and the agent client block in `poll()`, and must
/// never block Swift's cooperative pool. If the agent becomes unusable (it timed out or died) the next request
/// starts a new one on the same session and counts it in `agentRestarts`.
public actor NodeConnection {
    public nonisolated let name: NodeName
    public nonisolated let target: NodeTarget
    private nonisolated let executor: ThreadExecutor
    private let logger: Logger
    private var session: SSHSession?
    private var local: PipeAgentStream?
    private var client: AgentClient?
    /// How the agent is started on this SSH session (decided once: sudo or not).
    private var launch: SudoLaunch?

    /// What the agent reported when it started.
    public private(set) var hello: NodeResponse.HelloInfo?
    /// The controller's and the node's addresses of the SSH connection (`$SSH_CONNECTION`), for a TCP connection.
    public private(set) var managementPath: ManagementPath?
    /// How many times the agent had to be started again during this connection.
    public private(set) var agentRestarts = 0

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(name: NodeName, target: NodeTarget, logger: Logger) {
        self.name = name
        self.target = target
        self.executor = ThreadExecutor(name: "testbed-node-\(name)")
        var logger = logger
        logger[metadataKey: "node"] = "\(name)"
        self.logger = logger
    }

    /// Connects and starts the agent; returns its `hello`.
    /// - Throws: `NodeError`.
    @discardableResult
    public func connect(timeout: Duration = .seconds(20)) throws(NodeError) -> NodeResponse.HelloInfo {
        let deadline = ContinuousClock.now + timeout
        do {
            if case .ssh(let endpoint) = target, session?.isConnected != true {
                let connected = try SSHSession.connect(to: endpoint, nodeName: name.rawValue, logger: logger)
                session = connected
                if case .tcp = endpoint.transport {
                    let output = try connected.execute(command: "printf %s \"$SSH_CONNECTION\"", until: deadline)
                    managementPath = ManagementPath(sshConnection: output.stdoutText)
                }
            }
            return try startAgent(until: deadline)
        } catch {
            throw wrap(error)
        }
    }

    /// Sends requests pipelined (written together, answered in order: one round trip) and returns the answers.
    /// - Throws: `NodeError` when the node cannot be reached or the agent fails.
    public func send(_ requests: [NodeRequest], timeout: Duration) throws(NodeError) -> [NodeResponse] {
        let deadline = ContinuousClock.now + timeout
        do {
            if client?.isUsable != true {
                agentRestarts += client == nil ? 0 : 1
                if client != nil { logger.notice("restarting the agent on \(name): the previous one became unusable") }
                try startAgent(until: deadline)
            }
            guard let client else { throw AgentError(.unusable, "no agent", hint: "connect first") }
            return try client.send(requests, until: deadline)
        } catch {
            throw managementLoss(after: error) ?? wrap(error)
        }
    }

    /// When a request to a node reached over TCP failed with the agent gone quiet or its stream broken: asks the
    /// SSH session for a fresh `true` (3 s). No answer means the management path itself is gone, which is said as
    /// such, not as an agent error.
    private func managementLoss(after error: any Error) -> NodeError? {
        guard managementPath != nil, let session else { return nil }
        if let agent = error as? AgentError, ![.timedOut, .streamFailed, .agentExited].contains(agent.code) {
            return nil
        }
        if let connection = error as? ConnectionError, connection.code != .connectionLost { return nil }
        if (try? session.execute(command: "true", until: .now + .seconds(3)))?.status.isSuccess == true { return nil }
        let lost = ConnectionError(
            code: .connectionLost, node: name.rawValue, address: target.address,
            message: "lost the management connection to node '\(name)': its SSH session stopped answering",
            hint:
                "a command may have cut testbed's path to the node (a route, rule, address or firewall rule); the check before a run refuses such plans unless --allow-management-change is given",
            cause: "\(error)".split(separator: "\n").first.map(String.init))
        return NodeError(node: name, address: target.address, kind: .connection(lost))
    }

    /// Runs one command on its own SSH exec channel (how per-command tools work; used by `bench` to compare).
    /// - Throws: `NodeError`.
    public func executeOnNewChannel(_ command: String, timeout: Duration) throws(NodeError) -> ProcessOutput {
        do {
            guard let session else {
                throw ConnectionError(
                    code: .channelFailed, node: name.rawValue, address: target.address,
                    message: "not an SSH connection",
                    hint: "exec channels exist only for SSH targets")
            }
            return try session.execute(command: command, until: .now + timeout)
        } catch {
            throw wrap(error)
        }
    }

    /// Closes the agent and the session. Safe to call twice.
    public func close() {
        client?.close()
        client = nil
        local = nil
        session?.disconnect()
        session = nil
        executor.shutdown()
    }

    @discardableResult
    private func startAgent(until deadline: ContinuousClock.Instant) throws -> NodeResponse.HelloInfo {
        client?.close()
        let stream: any AgentStream
        switch target {
        case .ssh(let endpoint):
            guard let session else { throw AgentError(.unusable, "not connected", hint: "connect first") }
            let launch = try self.launch ?? decideLaunch(endpoint, session: session, until: deadline)
            self.launch = launch
            stream = try session.openAgentChannel(command: launch.command, until: deadline)
            if !launch.preamble.isEmpty { try stream.write(launch.preamble, until: deadline) }
        case .local(let executable, let arguments):
            let process = try PipeAgentStream.launch(
                executable: executable, arguments: arguments + [AgentScript.launchCommand])
            local = process
            stream = process
        }
        let newClient = AgentClient(stream: stream)
        client = newClient
        let info = try newClient.hello(until: deadline)
        hello = info
        logger.debug("agent ready", metadata: ["kernel": "\(info.kernelRelease)"])
        return info
    }

    private func decideLaunch(_ endpoint: SSHEndpoint, session: SSHSession, until deadline: ContinuousClock.Instant)
        throws -> SudoLaunch
    {
        guard let become = endpoint.become else { return .direct }
        return try SudoLaunch.decide(become, node: name.rawValue, address: target.address, user: endpoint.user) {
            command, input in try session.execute(command: command, input: input, until: deadline)
        }
    }

    private func wrap(_ error: any Error) -> NodeError {
        let kind: NodeError.Kind
        switch error {
        case let error as NodeError: return error
        case let error as ConnectionError: kind = .connection(error)
        case let error as AgentError: kind = .agent(error)
        case let error as SystemError: kind = .system(error)
        default: kind = .agent(AgentError(.streamFailed, "\(error)", hint: "see the cause"))
        }
        return NodeError(node: name, address: target.address, kind: kind)
    }
}
