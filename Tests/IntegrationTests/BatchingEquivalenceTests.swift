import Foundation
import NodeAgentProtocol
import Orchestrator
import Testing

extension RealKernelTests {
    /// The batched script must leave exactly the kernel state the original leaves, and fail where it fails.
    @Suite(.timeLimit(.minutes(2)), .enabled(if: LabTestSupport.isRoot, "needs root for network namespaces"))
    struct BatchingEquivalenceTests {
        /// Runs `script` (with `set -e`) in a fresh network namespace that has `lo` and a veth `eth1`, then dumps
        /// the namespace's routes, rules, addresses and links as JSON on stdout.
        func runIsolated(_ script: String) throws -> (status: Orchestrator.ExitStatus, stderr: String, state: String) {
            let setup =
                "set -e; ip link set lo up; ip link add eth1 address 02:00:00:00:00:01 type veth peer name eth1p address 02:00:00:00:00:02; ip link set eth1p up; ip link set eth1 up"
            let dump = "ip -j route show table all; ip -j rule show; ip -j address show; ip -j link show"
            let output = try ProcessRunner.run(
                "/usr/bin/unshare",
                ["--net", "/bin/bash", "-c", "(\(setup)\n\(script)\n) >/dev/null; status=$?; \(dump); exit $status"],
                timeout: .seconds(30))
            return (output.status, output.stderrText, output.stdoutText)
        }

        let script = [
            "ip address add 10.0.0.32 dev lo",
            "ip address add 169.254.96.141 dev eth1",
            "ip route add 169.254.94.223 dev eth1 src 169.254.96.141",
            "ip rule add table 251",
            "ip route add unreachable 10.0.0.0/29 table 251",
            "ip route add unreachable 10.0.0.64/29 table 251",
            "ip route change 10.0.0.0/29 table 251 via 169.254.94.223 dev eth1",
            "sysctl -q net.ipv4.ip_forward=1",
            "ip route add blackhole 10.0.0.48/31 table 250",
            "ip rule add fwmark 250 table 250",
            "ip route del 10.0.0.64/29 table 251",
        ]

        @Test("batched and original scripts leave the same routes, rules, addresses and links")
        func sameState() throws {
            let compiled = BlockCompiler().compile(script)
            #expect(compiled.batchCount == 2)
            let original = try runIsolated(script.joined(separator: "\n"))
            let batched = try runIsolated(compiled.script)
            #expect(original.status == .exited(0), "\(original.stderr)")
            #expect(batched.status == .exited(0), "\(batched.stderr)")
            #expect(!original.state.isEmpty)
            #expect(original.state == batched.state)
        }

        @Test("a failing line stops both at the same command, with the same state before it")
        func sameFailure() throws {
            var failing = script
            failing.insert("ip route change 10.0.0.16/29 table 251 via 169.254.94.223 dev eth1", at: 6)
            let compiled = BlockCompiler().compile(failing)
            let original = try runIsolated(failing.joined(separator: "\n"))
            let batched = try runIsolated(compiled.script)
            #expect(original.status != .exited(0))
            #expect(batched.status != .exited(0))
            #expect(original.state == batched.state)
            let compiledLine = compiled.segments.firstIndex { segment in
                if case .batch(_, let lines, _) = segment { return lines.contains(7) } else { return false }
            }.map { $0 + 1 }
            let attribution = compiled.originalLine(forCompiledLine: compiledLine ?? 0, stderr: batched.stderr)
            #expect(attribution?.line == 7)
            #expect(attribution?.exact == true)
        }
    }
}
