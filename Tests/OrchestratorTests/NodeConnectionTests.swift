import Logging
import NodeAgentProtocol
import Testing

@testable import Orchestrator

@Suite(.timeLimit(.minutes(1)))
struct NodeConnectionTests {
    func connection() async throws -> NodeConnection {
        let connection = NodeConnection(
            name: "local", target: .local(executable: "/bin/bash", arguments: ["-c"]), logger: Logger(label: "test"))
        try await connection.connect()
        return connection
    }

    @Test("a hung agent is given up on at the deadline and replaced by a new one for the next request")
    func agentReplacedAfterTimeout() async throws {
        let node = try await connection()
        let hung = NodeRequest.run(.init(script: "sleep 5"))
        await #expect(throws: NodeError.self) {
            _ = try await node.send([hung], timeout: .milliseconds(300))
        }
        let next = try await node.send([.run(.init(script: "echo fresh"))], timeout: .seconds(10))
        guard case .run(let result)? = next.first else {
            Issue.record("no run result")
            return
        }
        #expect(result.stdoutText == "fresh\n")
        #expect(await node.agentRestarts == 1)
        await node.close()
    }

    @Test("requests are pipelined in one write and answered in order")
    func pipelined() async throws {
        let node = try await connection()
        let answers = try await node.send(
            [.run(.init(script: "echo one")), .run(.init(script: "echo two")), .run(.init(script: "exit 3"))],
            timeout: .seconds(10))
        let outputs = answers.compactMap { answer -> String? in
            if case .run(let result) = answer { return "\(result.exitStatus):\(result.stdoutText)" }
            return nil
        }
        #expect(outputs == ["0:one\n", "0:two\n", "3:"])
        #expect(await node.agentRestarts == 0)
        await node.close()
    }
}

extension NodeResponse.RunResult {
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}
