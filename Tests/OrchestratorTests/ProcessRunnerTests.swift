import Testing

@testable import Orchestrator

@Suite struct ProcessRunnerTests {
    @Test("collects stdout and stderr apart, feeds stdin, reports the exit status")
    func runsAndCollects() throws {
        let output = try ProcessRunner.run(
            "/bin/bash", ["-c", "cat; echo err >&2; exit 3"], input: Array("hello".utf8))
        #expect(output.stdoutText == "hello")
        #expect(output.stderrText == "err\n")
        #expect(output.status == .exited(3))
    }

    @Test("a large output on both streams does not deadlock")
    func largeOutput() throws {
        let output = try ProcessRunner.run(
            "/bin/bash", ["-c", "head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2"])
        #expect(output.stdout.count == 3_000_000)
        #expect(output.stderr.count == 2_000_000)
    }

    @Test("a command past its timeout is killed")
    func timeout() throws {
        let start = ContinuousClock.now
        let output = try ProcessRunner.run("/bin/sleep", ["5"], timeout: .milliseconds(200))
        #expect(output.status == .signaled(9))
        #expect(ContinuousClock.now - start < .seconds(3))
    }
}
