import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `testbed run --resume` on the local lab: after a SIGKILL at fixed points, after a failure fixed by hand,
/// and refused when a node was changed; every resumed run ends in the state of an uninterrupted one.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class ResumeRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }
        let nodes = ["alfa", "beta", "gamma"]

        /// Three steps on alfa and beta; step `mid` has a marker line (for the test to kill it there) and a
        /// pause, between two commands with effects.
        func plan(marker: String, pause: String = "sleep 2", name: String = "resume.yaml") throws -> String {
            try lab.write(
                name,
                """
                steps:
                  - id: first
                    blocks:
                      - node: alfa
                        run: |
                          ip address add 10.0.0.32/32 dev lo
                          ip address add 10.0.0.33/32 dev lo
                      - node: beta
                        run: ip address add 10.0.0.40/32 dev lo
                  - id: mid
                    node: alfa
                    run: |
                      ip route add 10.9.0.0/24 dev lo
                      touch \(marker)
                      \(pause)
                      ip address add 10.0.0.34/32 dev lo
                  - id: hear
                    reach: {from: alfa, to: [10.0.0.32]}
                  - id: last
                    blocks:
                      - node: beta
                        run: |
                          ip route add 10.8.0.0/24 dev lo table 100
                          sysctl -w net.ipv4.ip_forward=1
                      - node: gamma
                        run: ip address add 10.0.0.50/32 dev lo

                """)
        }

        func uninterruptedSnapshot(_ plan: String) throws -> String {
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            return try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
        }

        func resume(_ plan: String, extra: [String] = []) throws -> ProcessOutput {
            let start = ContinuousClock.now
            let output = try LabTestSupport.testbed(["run", "-t", topology, plan, "--resume"] + extra, home: home)
            print("resume of \((plan as NSString).lastPathComponent) took \(start.secondsSince) s in all")
            return output
        }

        @Test("SIGKILLed mid-block, --resume starts that block at the line where the node stopped; same end state")
        func killedMidBlock() throws {
            let marker = home + "/marker"
            let plan = try plan(marker: marker, pause: "sleep 5")
            let expected = try uninterruptedSnapshot(try self.plan(marker: marker, pause: "true", name: "whole.yaml"))
            try? FileManager.default.removeItem(atPath: marker)
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", topology, plan, "--schedule", "document"], home: home)
            #expect(run.waitFor(file: marker), "\(run.stdout)\(run.stderr)")
            _ = run.kill()
            let resumed = try resume(plan)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
            // `touch` and `sleep` leave nothing the model sees: the block goes on from the first of them.
            #expect(
                resumed.stderrText.contains(
                    "alfa: step 2 mid stopped after `ip route add 10.9.0.0/24 dev lo` (\(plan):13); resumes at "
                        + "`touch \(marker)` (\(plan):14) (the next 2 commands leave the same state: run again)"),
                "\(resumed.stderrText)")
            #expect(resumed.stderrText.contains("2 of 6 units done before"), "\(resumed.stderrText)")
            let found = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            #expect(found == expected, "\(FaultTestSupport.difference(expected, found))")
            // `testbed reset` after the resumed run goes back to where the killed run started, not to mid-plan.
            let directory = { (line: Substring?) in
                ((line.map(String.init) ?? "") as NSString).deletingLastPathComponent
            }
            let killed = directory(
                resumed.stderrText.split(separator: "\n").first { $0.hasPrefix("resuming ") }?.dropFirst(9)
                    .split(separator: ":").first)
            let resumedRun = directory(
                resumed.stdoutText.split(separator: "\n").first { $0.hasPrefix("journal: ") }?.dropFirst(9))
            let snapshot = { (run: String) in
                FileManager.default.contents(atPath: run + "/" + RunSnapshot.fileName)
            }
            #expect(killed != resumedRun && snapshot(killed) != nil, "\(killed) \(resumedRun)")
            #expect(snapshot(resumedRun) == snapshot(killed), "\(resumedRun) kept another first state")
        }

        @Test("killed after a block's answer came back, before its record: the node's state shows it done")
        func killedBeforeRecord() throws {
            let marker = home + "/marker"
            let plan = try plan(marker: marker, pause: "true")
            let expected = try uninterruptedSnapshot(plan)
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", topology, plan, "--schedule", "document"], home: home,
                environment: ["TESTBED_FAULT_PAUSE=unit-returned:mid:alfa"])
            #expect(run.waitFor(text: "paused at unit-returned:mid:alfa"), "\(run.stderr)")
            _ = run.kill()
            let resumed = try resume(plan)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
            #expect(resumed.stderrText.contains("3 of 6 units done before"), "\(resumed.stderrText)")
            #expect(resumed.stdoutText.contains("passed — 6 passed, 0 failed, 0 skipped"), "\(resumed.stdoutText)")
            let found = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            #expect(found == expected, "\(FaultTestSupport.difference(expected, found))")
        }

        @Test("killed before a block was sent: it runs from its first line")
        func killedBeforeSend() throws {
            let plan = try plan(marker: home + "/marker", pause: "true")
            let expected = try uninterruptedSnapshot(plan)
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", topology, plan, "--schedule", "document"], home: home,
                environment: ["TESTBED_FAULT_PAUSE=unit-sent:last:beta"])
            #expect(run.waitFor(text: "paused at unit-sent:last:beta"), "\(run.stderr)")
            _ = run.kill()
            let resumed = try resume(plan)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
            #expect(resumed.stderrText.contains("beta: step 4 last (\(plan):19) runs from its first line"))
            let found = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            #expect(found == expected, "\(FaultTestSupport.difference(expected, found))")
        }

        @Test("a failed block fixed by hand: --resume runs it again from the failed line, not from its top")
        func failedAndFixed() throws {
            let ready = home + "/ready"
            let plan = try plan(marker: home + "/marker", pause: "test -e \(ready)")
            try? FileManager.default.removeItem(atPath: ready)
            let failed = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(failed.status == .exited(1), "\(failed.stdoutText)")
            FileManager.default.createFile(atPath: ready, contents: Data())
            let resumed = try resume(plan)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
            // `touch` and `test` leave nothing the model sees: the block goes on from the first of them.
            #expect(
                resumed.stderrText.contains(
                    "stopped after `ip route add 10.9.0.0/24 dev lo` (\(plan):13); resumes at `touch \(home)/marker`"),
                "\(resumed.stderrText)")
            // Without the resume point the block would run again from its top, and its first line would fail.
            let again = try LabTestSupport.testbed(["run", "-t", topology, plan, "--from", "mid"], home: home)
            #expect(again.status == .exited(1))
            #expect(again.stdoutText.contains("File exists"), "\(again.stdoutText)")
        }

        @Test("a node changed by hand matches no prediction: refused, naming the node and the difference")
        func changedByHand() throws {
            let plan = try plan(marker: home + "/marker", pause: "true")
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", topology, plan, "--schedule", "document"], home: home,
                environment: ["TESTBED_FAULT_PAUSE=unit-sent:mid:alfa"])
            #expect(run.waitFor(text: "paused at unit-sent:mid:alfa"), "\(run.stderr)")
            _ = run.kill()
            let changed = try LabTestSupport.testbed(
                ["exec", "-t", topology, "alfa", "--", "ip address add 10.0.0.99/32 dev lo"], home: home)
            #expect(changed.status == .exited(0))
            let resumed = try resume(plan)
            #expect(resumed.status == .exited(2), "\(resumed.stdoutText)\(resumed.stderrText)")
            let text = resumed.stderrText
            #expect(text.contains("the kernel state of the nodes matches no state the plan predicts"), "\(text)")
            #expect(text.contains("alfa: closest to the state before step 2 mid (\(plan):10), with 2 differences"))
            #expect(text.contains("link lo on alfa: expected nothing, found address 10.0.0.99/32"), "\(text)")
            #expect(
                text.contains(
                    "table local on alfa: expected nothing, found local 10.0.0.99 dev lo proto kernel scope host src 10.0.0.99"
                ))
        }

        @Test("a second run against the same lab is refused while the first holds the run lock")
        func secondRunRefused() throws {
            let plan = try plan(marker: home + "/marker", pause: "true")
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", topology, plan], home: home,
                environment: ["TESTBED_FAULT_PAUSE=unit-sent:mid:alfa"])
            #expect(run.waitFor(text: "paused at unit-sent:mid:alfa"), "\(run.stderr)")
            let second = try LabTestSupport.testbed(["run", "-t", topology, plan], home: home)
            _ = run.kill()
            #expect(second.status == .exited(2), "\(second.stderrText)")
            #expect(
                second.stderrText.contains("another run is using 'netsukuku-poc' (pid \(run.child.pid), plan \(plan))"))
            // The kernel dropped the killed run's lock: the resume goes ahead.
            let resumed = try resume(plan)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
        }
    }
}
