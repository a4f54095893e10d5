import Foundation
import NodeAgentProtocol
import Orchestrator
import Testing

extension RealKernelTests {
    /// An iptables run compiled into `iptables-restore --noflush` must leave the `iptables-save` the original
    /// lines leave, and fail at the same line with the same status and message.
    @Suite(.timeLimit(.minutes(2)), .enabled(if: LabTestSupport.isRoot, "needs root for network namespaces"))
    struct IptablesBatchingEquivalenceTests {
        func runIsolated(_ script: String) throws -> IsolatedScript.Outcome {
            try IsolatedScript.run(script, dump: "iptables-save -c | grep -v '^#'")
        }

        /// Every command the batch takes, in three tables, with rules that depend on earlier lines of the run.
        let script = [
            "iptables -t filter -N mine",
            "iptables -A mine -s 10.0.0.1 -j ACCEPT",
            "iptables -A mine -s 10.0.0.2 -j DROP",
            "iptables -I mine 1 -s 10.0.0.3 -j RETURN",
            "iptables -A INPUT -j mine",
            "iptables -D mine -s 10.0.0.2 -j DROP",
            "iptables -P FORWARD DROP",
            "ip route add unreachable 10.9.0.0/16",
            "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.26",
            "iptables -t nat -A PREROUTING -d 10.0.0.76/31 -j NETMAP --to 10.0.0.12/31",
            "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.26",
            "iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.26",
            "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250",
            "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:FD:E2:AA -j MARK --set-mark 249",
            "iptables -t mangle -D PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250",
            "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:3C:14:33 -j MARK --set-mark 248",
            "iptables -t filter -F mine",
        ]

        @Test("batched and original iptables runs leave the same iptables-save, and the batches ran as restores")
        func sameSave() throws {
            let compiled = BlockCompiler().compile(script)
            #expect(compiled.iptablesBatchCount == 3)
            #expect(compiled.iptablesBatchedCommands == 13)
            let original = try runIsolated(script.joined(separator: "\n"))
            let batched = try runIsolated(compiled.script)
            #expect(original.status == .exited(0), "\(original.stderr)")
            #expect(original.save.contains("-A INPUT -j mine"))
            #expect(!original.save.contains("-A mine"))
            #expect(original.save.contains("MARK set 0xf8") || original.save.contains("--set-xmark 0xf8"))
            #expect(
                batched
                    == IsolatedScript.Outcome(
                        status: original.status, stdout: original.stdout, stderr: original.stderr, failure: "",
                        save: original.save,
                        iptablesCalls: 3))
            #expect(original.iptablesCalls == 16)
        }

        @Test("a failing line mid-run fails at that line with iptables' own status and message, nothing after it")
        func sameFailure() throws {
            var failing = script
            // Deleting a rule that is not there: the restore fails as a whole, the lines then run one by one.
            failing.insert("iptables -t nat -D POSTROUTING -d 10.0.0.99/32 -j SNAT --to 10.0.0.26", at: 10)
            let compiled = BlockCompiler().compile(failing)
            let original = try runIsolated(failing.joined(separator: "\n"))
            let batched = try runIsolated(compiled.script)
            #expect(original.status != .exited(0))
            #expect(original.failure.hasPrefix("11 "))
            #expect(original.stderr.contains("does a matching rule exist"))
            #expect(batched.status == original.status)
            #expect(batched.stderr == original.stderr)
            #expect(batched.save == original.save)
            #expect(!batched.save.contains("--set-mark") && !batched.save.contains("MARK set"))
            let parts = batched.failure.split(separator: " ")
            let attribution = compiled.originalLine(
                forCompiledLine: Int(parts.first ?? "") ?? 0, stderr: batched.stderr)
            #expect(attribution == .init(line: 11, exact: true, inBatch: false))
            #expect(parts.last == original.failure.split(separator: " ").last)
        }
    }
}
