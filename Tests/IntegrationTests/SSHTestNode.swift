import Logging

@testable import Orchestrator

/// How the rest of the Orchestrator is meant to hold a session: an actor on its own ``ThreadExecutor``, so the
/// blocking libssh2 calls run on that thread and not on the cooperative pool.
actor SSHTestNode {
    private let executor: ThreadExecutor
    private var session: SSHSession?
    private var agent: (any AgentStream)?

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(name: String) {
        executor = ThreadExecutor(name: name)
    }

    func connect(_ endpoint: SSHEndpoint, logger: Logger = Logger(label: "ssh-test")) throws(ConnectionError) {
        session = try SSHSession.connect(to: endpoint, nodeName: "alfa", logger: logger)
    }

    func execute(_ command: String, input: [UInt8] = [], timeout: Duration) throws(ConnectionError) -> ProcessOutput {
        guard let session else {
            throw ConnectionError(
                code: .connectionLost, node: "alfa", address: "", message: "not connected", hint: "connect first")
        }
        return try session.execute(command: command, input: input, until: .now + timeout)
    }

    /// ``execute(_:input:timeout:)`` with its failure as a value.
    func executeResult(_ command: String, timeout: Duration) -> Result<ProcessOutput, ConnectionError> {
        do {
            return .success(try execute(command, timeout: timeout))
        } catch {
            return .failure(error)
        }
    }

    func sendKeepalive() throws(ConnectionError) {
        try session?.sendKeepalive()
    }

    func openAgent(_ command: String) throws(ConnectionError) {
        agent = try session?.openAgentChannel(command: command, until: .now + .seconds(10))
    }

    /// Writes `bytes` to the agent channel and reads until as many bytes came back.
    func echo(_ bytes: [UInt8], timeout: Duration) throws(AgentStreamError) -> [UInt8] {
        guard let agent else { throw AgentStreamError(.closed, "no agent channel") }
        let deadline = ContinuousClock.now + timeout
        try agent.write(bytes, until: deadline)
        var received: [UInt8] = []
        while received.count < bytes.count {
            let chunk = try agent.read(maximum: 65536, until: deadline)
            if chunk.isEmpty { break }
            received += chunk
        }
        return received
    }

    func isOnExecutorThread() -> Bool { executor.isCurrent }

    func close() {
        agent?.close()
        agent = nil
        session?.disconnect()
        session = nil
    }

    func shutdown() {
        close()
        executor.shutdown()
    }
}
