import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension RealKernelTests {
    /// The kernel-state model at work in `run`, `check` and `replay`, on the real lab.
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class StateCheckRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }

        func write(_ name: String, _ text: String) throws -> String { try lab.write(name, text) }

        static let outOfBand = """
            steps:
              - {id: first, node: beta, run: ip route add 10.50.0.0/24 dev eth1 table 100}
              - {id: pause, node: alfa, run: sleep 3}
              - {id: second, node: beta, run: ip route add 10.51.0.0/24 dev eth1 table 100}
            """

        /// Runs the plan and, while alfa sleeps, changes beta behind the run's back (by default: adds a route).
        func runWithInterference(
            _ extra: [String], plan text: String = outOfBand,
            change: String = "ip route add 10.60.0.0/24 dev eth1 table 100"
        ) throws -> (ProcessOutput, String) {
            let plan = try write("oob.yaml", text)
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            _ = try LabTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            let child = try ChildProcess(
                executable: LabTestSupport.binary,
                arguments: ["run", "-t", topology, plan, "--schedule", "document", "--json"] + extra,
                options: .init(
                    environment: ProcessEnvironment.current + ["TESTBED_HOME=\(home)"], stdout: .pipe, stderr: .pipe))
            let pipes = child.takePipes()
            var events = ""
            var buffer = [UInt8](repeating: 0, count: 4096)
            var interfered = false
            while let fd = pipes.stdout {
                let count = read(fd, &buffer, buffer.count)
                if count <= 0 { break }
                events += String(decoding: buffer[0..<count], as: UTF8.self)
                if !interfered && events.contains("\"stepIndex\":1") && events.contains("unit_started") {
                    interfered = true
                    let oob = try LabTestSupport.testbed(
                        ["exec", "-t", topology, "beta", "--", change],
                        home: home)
                    #expect(oob.status == .exited(0))
                }
            }
            var errors: [UInt8] = []
            while let fd = pipes.stderr {
                let count = read(fd, &buffer, buffer.count)
                if count <= 0 { break }
                errors += buffer[0..<count]
            }
            let status = child.wait()
            for case let fd? in [pipes.stdout, pipes.stderr] { close(fd) }
            #expect(interfered, "the run never reached the pause step")
            return (ProcessOutput(status: status, stdout: Array(events.utf8), stderr: errors), events)
        }

        @Test("a change behind the run's back is caught by the next block's state check, with the difference")
        func outOfBandChangeFails() throws {
            let (output, _) = try runWithInterference([])
            #expect(output.status == .exited(1))
            #expect(output.stderrText.contains("step 3 second"))
            #expect(
                output.stderrText.contains("the kernel state after the block differs from the model (1 difference)"))
            #expect(output.stderrText.contains("10.60.0.0/24"), "\(output.stderrText)")
        }

        static let marks = """
            steps:
              - {id: first, node: beta, run: "\(mark(250))"}
              - {id: pause, node: alfa, run: sleep 3}
              - {id: second, node: beta, run: "\(mark(251))"}
            """

        static func mark(_ value: Int) -> String {
            "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark \(value)"
        }

        @Test("mangle-only blocks dump mangle alone: a mangle rule behind the run's back fails, a nat one is unseen")
        func outOfBandIptablesTable() throws {
            let change =
                "iptables -t mangle -A PREROUTING -i eth1 -j MARK --set-mark 9; "
                + "iptables -t nat -A POSTROUTING -d 10.70.0.0/24 -j SNAT --to 10.0.0.1"
            let (output, _) = try runWithInterference([], plan: Self.marks, change: change)
            #expect(output.status == .exited(1))
            #expect(output.stderrText.contains("step 3 second"), "\(output.stderrText)")
            #expect(
                output.stderrText.contains("the kernel state after the block differs from the model (1 difference)"),
                "\(output.stderrText)")
            #expect(
                output.stderrText.contains("found -A PREROUTING -i eth1 -j MARK --set-xmark 0x9/0xffffffff"),
                "\(output.stderrText)")
            #expect(!output.stderrText.contains("10.70.0.0"), "\(output.stderrText)")
        }

        @Test("--state-check warn reports the same difference and lets the run pass; off does not look")
        func warnAndOff() throws {
            let (warn, _) = try runWithInterference(["--state-check", "warn"])
            #expect(warn.status == .exited(0))
            #expect(
                warn.stderrText.contains("warning: node 'beta', step second: the kernel state differs from the model"))
            #expect(warn.stderrText.contains("10.60.0.0/24"))
            let (off, _) = try runWithInterference(["--state-check", "off"])
            #expect(off.status == .exited(0))
            #expect(!off.stderrText.contains("10.60.0.0/24"))
        }

        @Test("check finds a command that would fail offline, with its line; the run fails at the same line")
        func wrongCommandOfflineAndOnline() throws {
            let plan = try write(
                "wrong.yaml",
                """
                steps:
                  - id: start
                    node: gamma
                    run: |
                      ip address add 169.254.94.223 dev eth1
                      ip route add 169.254.96.141 dev eth1 src 169.254.94.223
                  - id: wrong
                    node: gamma
                    run: |
                      ip route add unreachable 10.0.0.16/31 table 100
                      ip route change 10.0.0.20/31 table 100 via 169.254.96.141 dev eth1
                """)
            let check = try LabTestSupport.testbed(["check", "-t", topology, plan], home: home)
            #expect(check.status == .exited(1))
            #expect(check.stdoutText.contains("\(plan):11"), "\(check.stdoutText)")
            #expect(check.stdoutText.contains("1 would fail"))
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(run.status == .exited(1))
            #expect(run.stdoutText.contains("(\(plan):11)"), "\(run.stdoutText)")
            let valid = try LabTestSupport.testbed(
                ["check", "-t", topology, LabTestSupport.repository + "/topologies/netsukuku-poc/demo.yaml"], home: home
            )
            #expect(valid.status == .exited(0), "\(valid.stdoutText)")
        }

        static let seedPath = LabTestSupport.seeds + "/002_6d1abee6eb512183.txt"

        @Test(
            "replay of a seed page synthesises its prior state and passes with zero differences",
            .enabled(if: SeedPages.mustRun, SeedPages.skipReason))
        func replaySeed() throws {
            try SeedPages.require()
            let seed = try String(contentsOfFile: Self.seedPath, encoding: .utf8)
            let page = try write("eventi7.md", seed)
            let replay = try LabTestSupport.testbed(["replay", "-t", topology, page], home: home)
            #expect(replay.status == .exited(0), "\(replay.stdoutText)\(replay.stderrText)")
            #expect(replay.stderrText.contains("prior state synthesised for \(page)"))
            #expect(replay.stdoutText.contains("passed — 12 passed, 0 failed, 0 skipped"))
        }

        @Test("parallel order is refused when the model cannot show it equivalent; auto falls back to document order")
        func parallelRefused() throws {
            let plan = try write(
                "unknown.yaml",
                "steps:\n  - {node: alfa, run: \"mystery-tool --configure\"}\n  - {node: beta, run: \"true\"}\n")
            let refused = try LabTestSupport.testbed(
                ["run", "-t", topology, plan, "--schedule", "parallel", "--dry-run"], home: home)
            #expect(refused.status == .exited(2))
            #expect(
                refused.stderrText.contains(
                    "error: parallel order cannot be shown to end in the same state as document order"))
            #expect(refused.stderrText.contains("'mystery-tool --configure' is not modelled"))
            let auto = try LabTestSupport.testbed(["run", "-t", topology, plan, "--dry-run"], home: home)
            #expect(auto.status == .exited(0))
            #expect(
                auto.stdoutText.hasPrefix("schedule: document order (parallel order could not be shown equivalent:"))
        }
    }
}
