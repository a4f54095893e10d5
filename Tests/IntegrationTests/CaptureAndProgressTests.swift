import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Packet captures a crashed run leaves behind are stopped by `lab down`; progress on a terminal has an ETA
/// and honours NO_COLOR.
extension RealKernelTests {
    @Suite(
        .serialized, .timeLimit(.minutes(5)),
        .enabled(
            if: LabTestSupport.canRunLabs && ProcessEnvironment.which("tcpdump") != nil,
            "needs root, lab tools, tcpdump"))
    final class CaptureAndProgressTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }

        /// tcpdump processes writing under this test's home.
        func captures() -> [Int32] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
                guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                else { return nil }
                let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                let isCapture =
                    words.first.map { $0.hasSuffix("tcpdump") } == true && words.contains { $0.hasPrefix(home) }
                return isCapture && ProcFSState.isRunning(pid) ? pid : nil
            }
        }

        @Test("a run killed mid-way leaves its tcpdump running; lab down stops it by its recorded PID")
        func crashedRun() throws {
            let plan = try lab.write("slow.yaml", "steps:\n  - {id: slow, node: alfa, run: sleep 60}\n")
            let environment =
                ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_HOME=") } + ["TESTBED_HOME=\(home)"]
            let run = try ChildProcess(
                executable: LabTestSupport.binary, arguments: ["run", "--fresh", "-t", topology, plan, "--pcap"],
                options: .init(environment: environment, stdin: .null, stdout: .null, stderr: .null))
            var started: [Int32] = []
            let deadline = ContinuousClock.now + .seconds(60)
            while started.isEmpty && ContinuousClock.now < deadline && run.pollExit() == nil {
                usleep(50_000)
                started = captures()
            }
            #expect(started.count == 1, "no capture started")
            let pidFile = home + "/labs/netsukuku-poc/switch/capture-seg0.pid"
            let recorded = (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            #expect(recorded == started.first.map(String.init), "the PID was recorded before it was relied on")
            run.signal(SIGKILL)
            _ = run.wait()
            usleep(200_000)
            #expect(captures() == started, "the capture outlives the killed run")
            let down = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            #expect(captures().isEmpty, "lab down left the capture running")
        }

        @Test("progress on a terminal shows an ETA and colour; NO_COLOR takes the colour away")
        func terminalProgress() throws {
            let plan = try lab.write(
                "three.yaml",
                "steps:\n  - {id: one, node: alfa, run: 'true'}\n  - {id: two, node: beta, run: 'true'}\n"
                    + "  - {id: three, node: gamma, run: 'true'}\n")
            let command = "\(LabTestSupport.binary) run --fresh -t \(topology) \(plan)"
            let environment =
                ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_HOME=") && !$0.hasPrefix("NO_COLOR=") }
                + ["TESTBED_HOME=\(home)"]
            // script(1) gives the run a pseudo-terminal, as a person's shell would.
            let coloured = try ProcessRunner.run(
                "/usr/bin/script", ["-qefc", command, "/dev/null"], timeout: .seconds(120), environment: environment)
            #expect(coloured.status == .exited(0), "\(coloured.stdoutText)")
            let lines = coloured.stdoutText.split(whereSeparator: \.isNewline)  // a pty ends lines with \r\n
            // Steps of different nodes run in parallel and finish in any order; the last line needs no ETA.
            #expect(lines.contains { $0.contains("[1/3]") && $0.contains("ETA ") }, "\(coloured.stdoutText)")
            let last = lines.first { $0.contains("[3/3]") }
            #expect(last != nil && last?.contains("ETA") == false, "\(coloured.stdoutText)")
            #expect(coloured.stdoutText.contains("\u{1B}[32m"))
            let plain = try ProcessRunner.run(
                "/usr/bin/script", ["-qefc", command, "/dev/null"], timeout: .seconds(120),
                environment: environment + ["NO_COLOR=1"])
            #expect(plain.status == .exited(0))
            #expect(plain.stdoutText.contains("ETA "))
            #expect(!plain.stdoutText.contains("\u{1B}["), "\(plain.stdoutText)")
        }
    }
}

/// Whether a process runs (not a zombie), read from /proc.
enum ProcFSState {
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return false }
        return state != "Z" && state != "X"
    }
}
