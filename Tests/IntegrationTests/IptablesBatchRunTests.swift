import Foundation
import Orchestrator
import Testing

extension RealKernelTests {
    /// `testbed run` with iptables runs compiled into `iptables-restore`, against the same plan with `--no-batch`:
    /// the same failing node, step, plan line, status and message, the same state checks, the same rules after.
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class IptablesBatchRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }

        static func mark(_ verb: String, _ mac: String, _ value: Int) -> String {
            "iptables -t mangle -\(verb) PREROUTING -m mac --mac-source \(mac) -j MARK --set-mark \(value)"
        }

        /// Step 1 passes with its state check (two mangle runs, one nat run, one in a nested namespace);
        /// step 2 fails on its second line, a second delete of the rule the first line deleted.
        static let plan = """
            steps:
              - id: rules
                node: beta
                run: |
                  \(mark("A", "00:16:3E:5B:78:D5", 250))
                  \(mark("A", "00:16:3E:FD:E2:AA", 249))
                  iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.26
                  iptables -t nat -A POSTROUTING -d 10.0.0.0/27 -j SNAT --to 10.0.0.26
                  ip netns add inner
                  ip netns exec inner iptables -t mangle -A PREROUTING -j MARK --set-mark 7
                  ip netns exec inner iptables -t mangle -A PREROUTING -j MARK --set-mark 8
              - id: broken
                node: beta
                run: |
                  \(mark("D", "00:16:3E:5B:78:D5", 250))
                  \(mark("D", "00:16:3E:5B:78:D5", 250))
                  \(mark("A", "00:16:3E:3C:14:33", 248))
                  echo never
              - id: after
                node: gamma
                run: "true"
            """

        /// Runs the plan on a fresh lab; returns the run's output and beta's rules afterwards.
        func run(_ extra: [String]) throws -> (ProcessOutput, String) {
            let plan = try lab.write("iptables.yaml", Self.plan)
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan] + extra, home: home)
            let save = try LabTestSupport.testbed(
                [
                    "exec", "-t", topology, "beta", "--",
                    "iptables-save | grep -v '^#'; ip netns exec inner iptables-save | grep -v '^#'",
                ], home: home)
            #expect(save.status == .exited(0), "\(save.stderrText)")
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            return (run, save.stdoutText)
        }

        @Test("a failing iptables line mid-run: same step, plan line, status, message and rules as unbatched")
        func sameFailureAsUnbatched() throws {
            let (batched, batchedRules) = try run([])
            let (unbatched, unbatchedRules) = try run(["--no-batch"])
            let plan = home + "/iptables.yaml"
            for output in [batched, unbatched] {
                let text = output.stdoutText + output.stderrText
                #expect(output.status == .exited(1))
                #expect(text.contains("node 'beta', step 2 broken"), "\(text)")
                #expect(
                    text.contains(
                        "`\(Self.mark("D", "00:16:3E:5B:78:D5", 250))` (\(plan):16) exited with status 1"),
                    "\(text)")
                #expect(text.contains("does a matching rule exist"), "\(text)")
                #expect(!text.contains("differs from the model"), "\(text)")
                #expect(output.stdoutText.contains("1 passed, 1 failed, 1 skipped"), "\(output.stdoutText)")
            }
            // The failure's report, line for line (the other lines carry timings).
            func failureLines(_ output: ProcessOutput) -> [Substring] {
                (output.stdoutText + output.stderrText).split(separator: "\n").filter {
                    ($0.contains("broken") || $0.contains("iptables") || $0.contains("matching rule"))
                        && !$0.contains(" ms")
                }
            }
            #expect(!failureLines(batched).isEmpty)
            #expect(failureLines(batched) == failureLines(unbatched))
            #expect(batchedRules == unbatchedRules)
            #expect(batchedRules.contains("--set-xmark 0xf9/0xffffffff"))
            #expect(!batchedRules.contains("--set-xmark 0xfa/0xffffffff"))
            #expect(!batchedRules.contains("0xf8"))
            #expect(batchedRules.contains("--set-xmark 0x8/0xffffffff"))
            #expect(batchedRules.components(separatedBy: "-j SNAT --to-source 10.0.0.26").count == 3)
        }
    }
}
