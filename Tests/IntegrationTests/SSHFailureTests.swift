import Glibc
import Logging
import Testing

@testable import Orchestrator

extension SSHIntegrationTests {
    @Suite("SSH channels, deadlines and failures") struct Failures {
        @Test("the agent channel streams bytes both ways through `cat`, large writes included, then closes")
        func agentChannel() async throws {
            let lab = try SSHTestLab()
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            let node = SSHTestNode(name: "alfa")
            try await node.connect(lab.endpoint(lab.commandTransport, alias: "tb-test-alfa"))
            try await node.openAgent("cat")
            #expect(
                try await node.echo(Array("hello, agent\n".utf8), timeout: .seconds(10)) == Array("hello, agent\n".utf8)
            )
            let large = (0..<(3 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            #expect(try await node.echo(large, timeout: .seconds(30)) == large)
            #expect(try await node.echo([0, 255, 10, 13], timeout: .seconds(10)) == [0, 255, 10, 13])
            await node.shutdown()
        }

        @Test("the agent channel's end of stream and its standard error reach the reader")
        func agentChannelEnd() throws {
            let lab = try SSHTestLab()
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            let session = try SSHSession.connect(
                to: lab.endpoint(lab.commandTransport, alias: "tb-test-alfa"), nodeName: "alfa",
                logger: Logger(label: "t"))
            let stream = try session.openAgentChannel(
                command: "echo agent-missing >&2; echo one", until: .now + .seconds(10))
            var received: [UInt8] = []
            while true {
                let chunk = try stream.read(maximum: 1024, until: .now + .seconds(10))
                if chunk.isEmpty { break }
                received += chunk
            }
            #expect(received == Array("one\n".utf8))
            #expect(
                ((stream as? LibSSH2Channel)?.standardErrorTail).map { String(decoding: $0, as: UTF8.self) }
                    == "agent-missing\n")
            stream.close()
            stream.close()
            session.disconnect()
            #expect(throws: AgentStreamError.self) { try stream.write([1], until: .now + .seconds(1)) }
        }

        @Test("sshd killed (by PID) during `sleep 30` gives a ConnectionError well within the deadline")
        func serverKilled() async throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try lab.write("known_hosts", "[127.0.0.1]:\(daemon.port) \(lab.hostKey.knownHostsText)\n")
            let node = SSHTestNode(name: "alfa")
            try await node.connect(lab.endpoint(daemon.transport))
            try await node.sendKeepalive()
            let start = ContinuousClock.now
            async let outcome = node.executeResult("sleep 30", timeout: .seconds(20))
            try await Task.sleep(for: .milliseconds(700))
            daemon.stop()
            let result = await outcome
            let elapsed = ContinuousClock.now - start
            guard case .failure(let error) = result else {
                Issue.record("expected a ConnectionError, got \(result)")
                return
            }
            #expect(error.code == .connectionLost, "\(error)")
            #expect(elapsed < .seconds(5))
            let keepalive = await #expect(throws: ConnectionError.self) { try await node.sendKeepalive() }
            #expect(keepalive?.code == .connectionLost)
            await node.shutdown()
        }

        @Test("a command slower than its deadline fails with timedOut at the deadline; the session stays usable")
        func deadline() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }  // also ends the abandoned `sleep`, which sshd leaves running
            try lab.write("known_hosts", "[127.0.0.1]:\(daemon.port) \(lab.hostKey.knownHostsText)\n")
            let session = try SSHSession.connect(
                to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: Logger(label: "t"))
            let start = ContinuousClock.now
            let error = #expect(throws: ConnectionError.self) {
                try session.execute(command: "sleep 30", until: .now + .milliseconds(800))
            }
            let elapsed = ContinuousClock.now - start
            #expect(error?.code == .timedOut)
            #expect(elapsed >= .milliseconds(800))
            #expect(elapsed < .milliseconds(1500))
            // The session was only waiting to read, so it stays usable.
            #expect(
                try session.execute(command: "echo still-here", until: .now + .seconds(10)).stdoutText == "still-here\n"
            )
        }

        @Test("cancelling the task during a long read is honoured within a second")
        func cancellation() async throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try lab.write("known_hosts", "[127.0.0.1]:\(daemon.port) \(lab.hostKey.knownHostsText)\n")
            let node = SSHTestNode(name: "alfa")
            try await node.connect(lab.endpoint(daemon.transport))
            let task = Task { await node.executeResult("sleep 30", timeout: .seconds(60)) }
            try await Task.sleep(for: .milliseconds(500))
            let cancelledAt = ContinuousClock.now
            task.cancel()
            let result = await task.value
            let reaction = ContinuousClock.now - cancelledAt
            guard case .failure(let error) = result else {
                Issue.record("expected a ConnectionError, got \(result)")
                return
            }
            #expect(error.code == .cancelled)
            #expect(reaction < .seconds(1))
            await node.shutdown()
        }

        @Test("closing an agent channel whose program ignores end of input returns promptly")
        func agentIgnoringEOF() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try lab.write("known_hosts", "[127.0.0.1]:\(daemon.port) \(lab.hostKey.knownHostsText)\n")
            let session = try SSHSession.connect(
                to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: Logger(label: "t"))
            let stream = try session.openAgentChannel(command: "exec sleep 30 </dev/null", until: .now + .seconds(10))
            try stream.write([1], until: .now + .seconds(5))
            let start = ContinuousClock.now
            stream.close()
            #expect(ContinuousClock.now - start < .milliseconds(2500))
            #expect(try session.execute(command: "echo after", until: .now + .seconds(10)).stdoutText == "after\n")
        }

        @Test("a node actor on a ThreadExecutor runs its session calls on that executor's thread")
        func actorOnThreadExecutor() async throws {
            let node = SSHTestNode(name: "alfa")
            #expect(await node.isOnExecutorThread())
            await node.shutdown()
        }
    }
}
