import Foundation
import NodeAgentProtocol
import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// How `AgentClient` reports a dead, lying or slow agent, and that it never hangs.
@Suite(.timeLimit(.minutes(2))) struct AgentFailureTests {
    private typealias Support = AgentTestSupport

    @Test("killing the agent mid-request is reported quickly as agentExited, then every call fails fast")
    func killedAgent() throws {
        let (client, stream) = try Support.startAgent()
        defer { client.close() }
        let directory = try Support.run(client, "printf %s \"$tb_dir\"").stdoutText
        defer { try? FileManager.default.removeItem(atPath: directory) }  // SIGKILL leaves it behind
        let pid = stream.pid
        let killer = Thread {
            usleep(200_000); kill(pid, SIGKILL)
        }
        killer.start()
        let started = ContinuousClock.now
        #expect {
            try Support.run(client, "sleep 3")
        } throws: { error in
            let error = error as? AgentError
            return error?.code == .agentExited && error?.cause?.contains("killed by signal 9") == true
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(!client.isUsable)
        #expect {
            try Support.run(client, "true")
        } throws: { error in
            (error as? AgentError)?.code == .unusable
        }
    }

    @Test("closing the stream while a block runs stops the block's process group and removes the temp dir")
    func closeMidBlock() throws {
        let (client, _) = try Support.startAgent()
        let directory = try Support.run(client, "printf %s \"$tb_dir\"").stdoutText
        let pidFile =
            FileManager.default.temporaryDirectory.path
            + "/tb-agent-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        #expect {
            try client.run(.init(script: "echo $BASHPID > \(pidFile)\nsleep 30"), until: .now + .milliseconds(500))
        } throws: { error in
            (error as? AgentError)?.code == .timedOut
        }
        let started = ContinuousClock.now
        client.close()
        #expect(ContinuousClock.now - started < .seconds(3))
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let pgid = try #require(Int32(text.split(separator: "\n").first ?? ""))
        #expect(!Support.processGroupHasLivingMembers(pgid), "block group \(pgid) survived the close")
        #expect(access(directory, F_OK) != 0, "\(directory) is still there")
    }

    @Test("garbage injected into the agent's stdout is reported as desynchronised, quoting it")
    func injectedGarbage() throws {
        try Support.withAgent { client, _ in
            #expect {
                try Support.run(client, "printf 'surprise!\\n' > /proc/$$/fd/1")
            } throws: { error in
                let error = error as? AgentError
                return error?.code == .desynchronised && error?.message.contains("saw \"surprise!\\n") == true
            }
            #expect(!client.isUsable)
        }
    }

    @Test("a request header the agent cannot read is reported with the agent's own words")
    func unreadableHeader() throws {
        try Support.withAgent { client, stream in
            try stream.write(Array("HELLO THERE\n".utf8), until: .now + Support.patience)
            #expect {
                try client.send(.hello, until: .now + Support.patience)
            } throws: { error in
                let error = error as? AgentError
                return error?.code == .desynchronised
                    && error?.message.contains("not a protocol 2 request header: 'HELLO THERE'") == true
            }
        }
    }

    @Test("a call whose deadline passes is timedOut naming the request, and the connection is then unusable")
    func deadlinePasses() throws {
        try Support.withAgent { client, _ in
            let started = ContinuousClock.now
            #expect {
                try client.run(.init(script: "sleep 2"), until: .now + .milliseconds(300))
            } throws: { error in
                let error = error as? AgentError
                return error?.code == .timedOut && error?.message.contains("the 'run' request (id 2)") == true
            }
            #expect(ContinuousClock.now - started < .seconds(1))
            #expect(throws: AgentError.self) { try Support.run(client, "true") }
        }
    }

    @Test("an invalid request is refused before anything is sent; the connection stays usable")
    func invalidRequest() throws {
        try Support.withAgent { client, _ in
            #expect {
                try Support.run(client, "echo \u{0}")
            } throws: { error in
                (error as? AgentError)?.code == .invalidRequest
            }
            #expect(client.isUsable)
            let next = try Support.run(client, "echo fine")
            #expect(next.stdoutText == "fine\n")
        }
    }

    @Test("a login shell printing before the agent starts does not disturb it")
    func chattyLoginShell() throws {
        let stream = try PipeAgentStream.launch(
            executable: "/bin/sh",
            arguments: [
                "-c",
                "echo 'Last login: today'; printf 'TBRES/2 1 run 0\\n'; echo oops >&2; " + AgentScript.launchCommand,
            ])
        let client = AgentClient(stream: stream)
        defer { client.close() }
        let info = try client.hello(until: .now + Support.patience)
        #expect(info.protocolVersion == .current)
        #expect(try Support.run(client, "echo hi").stdoutText == "hi\n")
    }

    @Test("an agent speaking another protocol version is refused as versionMismatch")
    func versionMismatch() throws {
        let stream = try PipeAgentStream.launch(
            executable: "/bin/sh", arguments: ["-c", "printf 'TBAGENT/3 READY\\n'; exec cat >/dev/null"])
        let client = AgentClient(stream: stream)
        defer { client.close() }
        #expect {
            try client.hello(until: .now + Support.patience)
        } throws: { error in
            let error = error as? AgentError
            return error?.code == .versionMismatch && error?.message.contains("protocol 3") == true
        }
    }

    @Test("a program that exits without a banner is agentExited, quoting what it printed")
    func noBanner() throws {
        let stream = try PipeAgentStream.launch(
            executable: "/bin/sh", arguments: ["-c", "echo 'bash: not found'; echo 'fatal' >&2; exit 127"])
        let client = AgentClient(stream: stream)
        defer { client.close() }
        #expect {
            try client.hello(until: .now + Support.patience)
        } throws: { error in
            guard let error = error as? AgentError, error.code == .agentExited, let cause = error.cause else {
                return false
            }
            return cause.contains("bash: not found") && cause.contains("exit status 127") && cause.contains("fatal")
        }
    }

    @Test("an agent terminated by a signal mid-request is agentExited within the deadline, never a hang")
    func terminatedAgent() throws {
        try Support.withAgent { client, _ in
            let started = ContinuousClock.now
            #expect {
                try Support.run(client, "kill -TERM $$; sleep 1")
            } throws: { error in
                (error as? AgentError)?.code == .agentExited
            }
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }
}
