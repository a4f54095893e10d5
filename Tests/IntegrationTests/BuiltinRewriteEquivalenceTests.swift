import Foundation
import NodeAgentProtocol
import Orchestrator
import Testing

extension RealKernelTests {
    /// A silenced sysctl and an echo|tee append run as builtins must leave the values and bytes the original
    /// lines leave, and a failing one must fail with the original's status and message at its line.
    @Suite(.timeLimit(.minutes(2)), .enabled(if: LabTestSupport.isRoot, "needs root for network namespaces"))
    struct BuiltinRewriteEquivalenceTests {
        let file = LabTestSupport.makeStateRoot() + "/rt_tables"

        func script(_ extra: [String] = []) -> [String] {
            [
                "sysctl net.ipv4.ip_forward=1 &>/dev/null",
                "sysctl net.ipv4.conf.all.rp_filter=0 &>/dev/null",
                #"(echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a \#(file) >/dev/null"#,
            ] + extra + [
                "sysctl net.ipv4.conf.lo.arp_ignore=1 &>/dev/null",
                #"(echo; echo "250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_x_xxx") | tee -a \#(file) >/dev/null"#,
            ]
        }

        func run(_ lines: [String]) throws -> IsolatedScript.Outcome {
            try "255 local\n".write(toFile: file, atomically: true, encoding: .utf8)
            let values = "net/ipv4/ip_forward net/ipv4/conf/all/rp_filter net/ipv4/conf/lo/arp_ignore"
            return try IsolatedScript.run(
                lines.joined(separator: "\n"),
                dump: "for v in \(values); do echo \"$v $(cat /proc/sys/$v)\"; done; cat -A \(file)")
        }

        @Test("builtin forms leave the same sysctls and file bytes as the original lines")
        func sameState() throws {
            let compiled = BlockCompiler().compile(script())
            #expect(compiled.builtinCount == 5)
            let original = try run(script())
            let rewritten = try run(compiled.script.components(separatedBy: "\n"))
            #expect(original.status == .exited(0), "\(original.stderr)")
            #expect(original.save.contains("net/ipv4/ip_forward 1"))
            #expect(original.save.contains("net/ipv4/conf/lo/arp_ignore 1"))
            #expect(original.save.contains("$\n250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_x_xxx$\n"))
            #expect(rewritten == original)
        }

        @Test("a failing sysctl and a failing append fail at their line with the original status and message")
        func sameFailure() throws {
            for bad in [
                "sysctl net.ipv4.conf.nosuch0.rp_filter=0 &>/dev/null",
                #"(echo; echo "1 x") | tee -a /nonexistent-dir/rt_tables >/dev/null"#,
                "sysctl net.ipv4.ip_default_ttl=300 &>/dev/null",
            ] {
                let lines = script([bad])
                let compiled = BlockCompiler().compile(lines)
                #expect(compiled.builtinCount == 6)
                let original = try run(lines)
                let rewritten = try run(compiled.script.components(separatedBy: "\n"))
                #expect(original.status != .exited(0), "\(bad)")
                #expect(original.failure.hasPrefix("4 "), "\(bad): \(original.failure)")
                #expect(rewritten.status == original.status, "\(bad)")
                #expect(rewritten.stdout == original.stdout && rewritten.stderr == original.stderr, "\(bad)")
                #expect(rewritten.save == original.save, "\(bad)")
                let parts = rewritten.failure.split(separator: " ")
                let line = compiled.originalLine(forCompiledLine: Int(parts.first ?? "") ?? 0, stderr: "")
                #expect(line == .init(line: 4, exact: true, inBatch: false), "\(bad)")
                #expect(parts.last == original.failure.split(separator: " ").last, "\(bad)")
            }
        }
    }
}
