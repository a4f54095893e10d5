import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The fault suite, part one: Ctrl-C once and twice, a hung command, the agent killed mid-block — each
/// followed, where the run stopped, by `--resume` to the end state of an uninterrupted run.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class InterruptAndAgentFaultTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }
        let nodes = ["alfa", "beta"]

        /// alfa and beta; step `mid` on alfa writes its agent's PID (the parent of the block's shell) to
        /// `agent.pid`, touches `marker`, then `pause`.
        func plan(pause: String, name: String = "suite.yaml") throws -> String {
            try lab.write(
                name,
                """
                steps:
                  - id: first
                    blocks:
                      - node: alfa
                        run: ip address add 10.0.0.32/32 dev lo
                      - node: beta
                        run: ip address add 10.0.0.40/32 dev lo
                  - id: mid
                    node: alfa
                    run: |
                      ip route add 10.9.0.0/24 dev lo
                      read -r _ _ _ agent _ </proc/$BASHPID/stat; echo "$agent" >\(home)/agent.pid
                      touch \(home)/marker
                      \(pause)
                      ip address add 10.0.0.34/32 dev lo
                  - id: last
                    blocks:
                      - node: beta
                        run: ip route add 10.8.0.0/24 dev lo table 100
                      - node: alfa
                        run: ip address add 10.0.0.35/32 dev lo

                """)
        }

        func expectedSnapshot() throws -> String {
            let whole = try plan(pause: "true", name: "whole.yaml")
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, whole], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            try? FileManager.default.removeItem(atPath: home + "/marker")
            return try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
        }

        func started(_ plan: String, extra: [String] = []) throws -> FaultTestSupport.BackgroundRun {
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", topology, plan, "--schedule", "document"] + extra, home: home)
            #expect(run.waitFor(file: home + "/marker"), "\(run.stdout)\(run.stderr)")
            return run
        }

        /// `--resume`, then the end state compared with the uninterrupted run's.
        func resumeMatches(_ plan: String, expected: String) throws {
            let resumed = try LabTestSupport.testbed(["run", "-t", topology, plan, "--resume"], home: home)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
            let found = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            #expect(found == expected, "\(FaultTestSupport.difference(expected, found))")
        }

        @Test("Ctrl-C once: the block in flight finishes, exit 130, the rest skipped; --resume ends as a whole run")
        func interruptOnce() throws {
            let expected = try expectedSnapshot()
            let plan = try plan(pause: "sleep 2")
            let run = try started(plan)
            let signalled = ContinuousClock.now
            run.child.signal(SIGINT)
            #expect(run.wait() == .exited(130), "\(run.stdout)\(run.stderr)")
            print("Ctrl-C once: the run ended \(String(format: "%.2f", signalled.secondsSince)) s after the signal")
            #expect(run.stdout.contains("interrupted — 3 passed, 0 failed, 2 skipped"), "\(run.stdout)")
            // The block in flight ran to its end: its last line's address is there.
            let alfa = try LabTestSupport.testbed(
                ["exec", "-t", topology, "alfa", "--", "ip -br address show dev lo"], home: home)
            #expect(alfa.stdoutText.contains("10.0.0.34/32"), "\(alfa.stdoutText)")
            try resumeMatches(plan, expected: expected)
        }

        @Test(
            "Ctrl-C twice: aborted at once naming the node mid-block, its block stopped; --resume ends as a whole run")
        func interruptTwice() throws {
            let expected = try expectedSnapshot()
            let plan = try plan(pause: "sleep 30")
            let run = try started(plan)
            let signalled = ContinuousClock.now
            run.child.signal(SIGINT)
            usleep(200_000)
            run.child.signal(SIGINT)
            #expect(run.wait(seconds: 20) == .exited(130), "\(run.stdout)\(run.stderr)")
            print(
                "Ctrl-C twice: the run ended \(String(format: "%.2f", signalled.secondsSince)) s after the first signal"
            )
            #expect(
                run.stderr.contains(
                    "testbed: aborted; possibly mid-block: node 'alfa' (step 2 mid); continue with testbed run --resume"
                ),
                "\(run.stderr)")
            // The agent saw its connection go and stopped the block: its last line never ran.
            let agent = try #require(Int32(try String(contentsOfFile: home + "/agent.pid", encoding: .utf8).trimmed))
            #expect(FaultTestSupport.waitGone(agent, seconds: 10), "agent \(agent) still runs")
            let alfa = try LabTestSupport.testbed(
                ["exec", "-t", topology, "alfa", "--", "ip -br address show dev lo"], home: home)
            #expect(!alfa.stdoutText.contains("10.0.0.34/32"), "\(alfa.stdoutText)")
            try resumeMatches(plan, expected: expected)
        }

        @Test("a hung command: the block times out, its agent is replaced; the run stops, or goes on with --keep-going")
        func hungCommand() throws {
            let plan = try plan(pause: "sleep 600")
            let stopped = ContinuousClock.now
            let stops = try LabTestSupport.testbed(
                ["run", "--fresh", "-t", topology, plan, "--schedule", "document", "--block-timeout", "2"], home: home)
            print("hung command, run stopping: \(String(format: "%.2f", stopped.secondsSince)) s in all")
            #expect(stops.status == .exited(1), "\(stops.stdoutText)\(stops.stderrText)")
            #expect(stops.stdoutText.contains("FAILED — 2 passed, 1 failed, 2 skipped"), "\(stops.stdoutText)")
            #expect(stops.stdoutText.contains("stopped after the block timeout of 2"), "\(stops.stdoutText)")
            let goes = try LabTestSupport.testbed(
                [
                    "run", "--fresh", "-t", topology, plan, "--schedule", "document", "--block-timeout", "2",
                    "--keep-going",
                ], home: home)
            #expect(goes.status == .exited(1), "\(goes.stdoutText)\(goes.stderrText)")
            // beta's unit of the last step runs; alfa's later unit is skipped (its node failed).
            #expect(goes.stdoutText.contains("FAILED — 3 passed, 1 failed, 1 skipped"), "\(goes.stdoutText)")
        }

        @Test("the agent killed mid-block: the unit fails naming the lost agent, the run stops; --resume finishes it")
        func agentKilled() throws {
            let expected = try expectedSnapshot()
            let plan = try plan(pause: "sleep 30")
            let run = try started(plan)
            let agent = try #require(Int32(try String(contentsOfFile: home + "/agent.pid", encoding: .utf8).trimmed))
            let killed = ContinuousClock.now
            #expect(Glibc.kill(agent, SIGKILL) == 0)
            #expect(run.wait(seconds: 60) == .exited(1), "\(run.stdout)\(run.stderr)")
            print("agent killed: the run noticed and ended \(String(format: "%.2f", killed.secondsSince)) s later")
            #expect(run.stdout.contains("node 'alfa', step 2 mid"), "\(run.stdout)")
            #expect(run.stdout.contains("the agent on alfa is replaced"), "\(run.stdout)")
            // The killed agent could not stop its block: the resume stops it by its recorded process group.
            let resumed = try LabTestSupport.testbed(["run", "-t", topology, plan, "--resume"], home: home)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
            #expect(
                resumed.stderrText.contains("alfa: stopped a block of an earlier agent that still ran"),
                "\(resumed.stderrText)")
            let found = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            #expect(found == expected, "\(FaultTestSupport.difference(expected, found))")
        }
        @Test("sshd of the node killed mid-block: the connection is lost, the agent stops the block; --resume finishes")
        func sshdKilled() throws {
            let expected = try expectedSnapshot()
            let plan = try plan(pause: "sleep 3")
            let run = try started(plan)
            let agent = try #require(Int32(try String(contentsOfFile: home + "/agent.pid", encoding: .utf8).trimmed))
            // The agent's parent is the sshd session of its connection (`sshd -i` started by the ProxyCommand).
            let stat = try String(contentsOfFile: "/proc/\(agent)/stat", encoding: .utf8)
            let sshd = try #require(
                stat.split(separator: ")").last?.split(separator: " ").dropFirst(1).first.flatMap {
                    Int32($0)
                })
            let name = try String(contentsOfFile: "/proc/\(sshd)/comm", encoding: .utf8).trimmed
            try #require(name == "sshd" || name.hasPrefix("sshd"), "the agent's parent is \(name)")
            let killed = ContinuousClock.now
            #expect(Glibc.kill(sshd, SIGKILL) == 0)
            #expect(run.wait(seconds: 60) == .exited(1), "\(run.stdout)\(run.stderr)")
            print("sshd killed: the run noticed and ended \(String(format: "%.2f", killed.secondsSince)) s later")
            #expect(run.stdout.contains("node 'alfa', step 2 mid"), "\(run.stdout)")
            #expect(FaultTestSupport.waitGone(agent, seconds: 10), "agent \(agent) still runs")
            usleep(3_500_000)
            // The block was stopped with its agent: its last line never ran, even after the pause.
            let alfa = try LabTestSupport.testbed(
                ["exec", "-t", topology, "alfa", "--", "ip -br address show dev lo"], home: home)
            #expect(!alfa.stdoutText.contains("10.0.0.34/32"), "\(alfa.stdoutText)")
            try resumeMatches(plan, expected: expected)
        }

        @Test("the link taken down during a reach check that must hold 10 times in a row: the check fails, saying so")
        func linkDownDuringReach() throws {
            let plan = try lab.write(
                "reach.yaml",
                """
                steps:
                  - id: hear
                    reach: {from: alfa, to: [10.0.0.40], count: 1, timeout_ms: 500, retry: {timeout_ms: 4000, interval_ms: 200, consecutive: 10}}

                """)
            let setup = try lab.write(
                "setup.yaml",
                "steps:\n  - {id: address, node: beta, run: ip address add 10.0.0.40/32 dev lo}\n"
                    + "  - {id: route, node: alfa, run: ip route add 10.0.0.40/32 dev eth1}\n")
            let prepared = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, setup], home: home)
            try #require(prepared.status == .exited(0), "\(prepared.stdoutText)\(prepared.stderrText)")
            let proceed = home + "/proceed"
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "-t", topology, plan], home: home,
                environment: ["TESTBED_FAULT_PAUSE=unit-sent:hear:alfa", "TESTBED_FAULT_RESUME=\(proceed)"])
            #expect(run.waitFor(text: "paused at unit-sent:hear:alfa"), "\(run.stderr)")
            FileManager.default.createFile(atPath: proceed, contents: Data())
            usleep(600_000)
            let down = try LabTestSupport.testbed(
                ["exec", "-t", topology, "beta", "--", "ip link set eth1 down"], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            defer {
                _ = try? LabTestSupport.testbed(
                    ["exec", "-t", topology, "beta", "--", "ip link set eth1 up"], home: home)
            }
            #expect(run.wait(seconds: 60) == .exited(1), "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("no answer from 10.0.0.40"), "\(run.stdout)")
            #expect(run.stdout.contains("why, hop by hop:"), "\(run.stdout)")
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
