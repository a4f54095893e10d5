import NodeAgentProtocol
import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// Blocks run by a real local bash agent through `PipeAgentStream`.
@Suite(.timeLimit(.minutes(2))) struct AgentRunTests {
    private typealias Support = AgentTestSupport

    @Test("a successful block reports status 0, its output and a duration measured on the node")
    func success() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "echo one\nsleep 0.05\necho two")
            #expect(result.exitStatus == 0)
            #expect(result.failedLine == nil)
            #expect(result.stdoutText == "one\ntwo\n")
            #expect(result.stderr.isEmpty)
            #expect(result.duration >= .milliseconds(50) && result.duration < .seconds(5))
            #expect(!result.timedOut)
        }
    }

    @Test("a command failing on line 3 reports line 3 and its status, and stops the block")
    func failingLine() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "echo one\ntrue\nsh -c 'exit 4'\necho not reached")
            #expect(result.exitStatus == 4)
            #expect(result.failedLine == 3)
            #expect(result.failedStatus == 4)
            #expect(result.stdoutText == "one\n")
        }
    }

    @Test("commands tested by if, &&, || and ! do not stop the block or count as failures (set -e rules)")
    func setERules() throws {
        try Support.withAgent { client, _ in
            let script = "if false; then echo no; fi\nfalse && echo no\nfalse || echo recovered\n! true\necho end"
            let result = try Support.run(client, script)
            #expect(result.exitStatus == 0)
            #expect(result.failedLine == nil)
            #expect(result.stdoutText == "recovered\nend\n")
        }
    }

    @Test("with stopAtFirstFailure off the block goes on and reports its first failure")
    func keepGoing() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "echo a\nfalse\necho b\nsh -c 'exit 5'\necho c", stop: false)
            #expect(result.stdoutText == "a\nb\nc\n")
            #expect(result.exitStatus == 0)
            #expect(result.failedLine == 2)
            #expect(result.failedStatus == 1)
        }
    }

    @Test("a failure inside a function is reported at its line in the script")
    func failureInFunction() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "f() {\n  echo in f\n  false\n}\nf\necho not reached")
            #expect(result.failedLine == 3)
            #expect(result.exitStatus == 1)
        }
    }

    @Test("stderr is kept apart from stdout")
    func stderrApart() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "echo out1\necho err1 >&2\necho out2\necho err2 >&2")
            #expect(result.stdoutText == "out1\nout2\n")
            #expect(result.stderrText == "err1\nerr2\n")
        }
    }

    @Test("more than 1 MiB on stdout and on stderr arrives byte for byte")
    func largeOutput() throws {
        try Support.withAgent { client, _ in
            let script =
                "for ((i = 0; i < 30000; i++)); do printf 'line %06d xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\n' $i; done\n"
                + "head -c 1500000 /dev/zero | tr '\\0' 'e' >&2"
            let result = try Support.run(client, script)
            var expected: [UInt8] = []
            for index in 0..<30000 {
                let number = String(index)
                expected += Array(("line " + String(repeating: "0", count: 6 - number.count) + number).utf8)
                expected += Array(" xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n".utf8)
            }
            #expect(result.stdout.count == expected.count)
            #expect(result.stdout == expected)
            #expect(result.stderr == Array(repeating: UInt8(ascii: "e"), count: 1_500_000))
        }
    }

    @Test("NUL and non-UTF-8 bytes in the output arrive intact")
    func binaryOutput() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "printf 'a\\0b\\377\\376\\200c\\0'\nprintf '\\0\\351' >&2")
            #expect(result.stdout == [0x61, 0, 0x62, 0xFF, 0xFE, 0x80, 0x63, 0])
            #expect(result.stderr == [0, 0xE9])
        }
    }

    @Test("non-ASCII script text round-trips, and line numbers still count lines")
    func nonASCIIScript() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "echo 'β = 𝛽 ✓'\n# ünïcödé comment\nfalse")
            #expect(result.stdoutText == "β = 𝛽 ✓\n")
            #expect(result.failedLine == 3)
        }
    }

    @Test("a script larger than the read -N cut-over is read with head -c and runs")
    func largeScript() throws {
        try Support.withAgent { client, _ in
            let filler = String(repeating: "# padding padding padding padding padding padding padding\n", count: 2000)
            let result = try Support.run(client, filler + "echo done\nfalse")
            #expect(result.stdoutText == "done\n")
            #expect(result.failedLine == 2002)
        }
    }

    @Test("a block that reads stdin gets end of file instead of the agent's requests")
    func stdinIsEmpty() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "cat\nread -r line || echo eof")
            #expect(result.stdoutText == "eof\n")
            let next = try Support.run(client, "echo still in step")
            #expect(next.stdoutText == "still in step\n")
        }
    }

    @Test("exit 7 ends only the block: status 7, no failed line, and the agent serves the next request")
    func exitSeven() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "echo before\nexit 7\necho after")
            #expect(result.exitStatus == 7)
            #expect(result.failedLine == nil)
            #expect(result.stdoutText == "before\n")
            #expect(try Support.run(client, "echo next").stdoutText == "next\n")
        }
    }

    @Test("a block that execs or replaces the agent's traps is still noticed when it ends")
    func execAndTraps() throws {
        try Support.withAgent { client, _ in
            #expect(try Support.run(client, "exec sh -c 'exit 3'").exitStatus == 3)
            let trapped = try Support.run(client, "trap - EXIT ERR\necho x\nexit 2")
            #expect(trapped.exitStatus == 2)
            #expect(trapped.stdoutText == "x\n")
        }
    }

    @Test("a block that leaves sleep 100 in the background returns promptly and the agent keeps working")
    func backgroundJob() throws {
        try Support.withAgent { client, _ in
            let started = ContinuousClock.now
            let result = try Support.run(client, "sleep 100 &\necho $!")
            #expect(ContinuousClock.now - started < .seconds(2))
            #expect(result.exitStatus == 0)
            #expect(try Support.run(client, "echo next").stdoutText == "next\n")
            if let pid = Int32(result.stdoutText.split(separator: "\n").first ?? "") { kill(pid, SIGKILL) }
        }
    }

    @Test("a job still writing after its block ended cannot put the stream out of step", arguments: [1000, 200_000])
    func lingeringWriter(mainBytes: Int) throws {
        try Support.withAgent { client, _ in
            let script = "(for ((i = 0; i < 3000; i++)); do echo late-$i; done) &\nhead -c \(mainBytes) /dev/zero"
            let result = try Support.run(client, script)
            #expect(result.exitStatus == 0)
            #expect(result.stdout.filter { $0 == 0 }.count == mainBytes)
            for index in 0..<5 {
                #expect(try Support.run(client, "echo \(index)").stdoutText == "\(index)\n")
            }
            #expect(client.isUsable)
        }
    }

    @Test("closing the stream ends the agent, which removes its temp dir")
    func closeCleansUp() throws {
        let (client, stream) = try Support.startAgent()
        let directory = try Support.run(client, "printf %s \"$tb_dir\"").stdoutText
        #expect(directory.contains("tbagent."))
        #expect(access(directory, F_OK) == 0)
        client.close()
        #expect(stream.process.pollExit() == .exited(0))
        #expect(access(directory, F_OK) != 0, "\(directory) is still there")
    }

    @Test("a block past its timeout is killed with its process group; the agent serves the next request")
    func timeout() throws {
        try Support.withAgent { client, _ in
            let started = ContinuousClock.now
            let result = try Support.run(client, "echo $BASHPID\nsleep 5 &\nsleep 5", timeout: .milliseconds(300))
            let elapsed = ContinuousClock.now - started
            #expect(result.timedOut)
            #expect(!result.isSuccess)
            #expect(result.exitStatus == 143)
            #expect(elapsed < .seconds(1), "took \(elapsed)")
            let pgid = try #require(Int32(result.stdoutText.split(separator: "\n").first ?? ""))
            #expect(!Support.processGroupHasLivingMembers(pgid), "process group \(pgid) survived")
            #expect(try Support.run(client, "echo next").stdoutText == "next\n")
        }
    }

    @Test("a shell syntax error is a failing run with bash's message, not a broken agent")
    func syntaxError() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(client, "echo ok\nif then fi")
            #expect(result.exitStatus != 0)
            #expect(result.stderrText.contains("syntax error"))
            #expect(try Support.run(client, "echo next").stdoutText == "next\n")
        }
    }
}
