import Foundation
import Orchestrator
import Testing

/// A failed reach check explained on the lab: a planted wrong route on the way there, and one on the way
/// back; the explanation names the hop, the table and the plan line, and shows each hop's `ip route get`.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class ExplainRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }

        /// a — b — c on two segments; b forwards.
        func topology() throws -> String {
            try lab.write(
                "chain.yaml",
                """
                name: explainlab
                nodes:
                  a: {interfaces: {eth1: {addresses: [10.1.0.1/24]}}}
                  b: {interfaces: {eth1: {addresses: [10.1.0.2/24]}, eth2: {addresses: [10.2.0.2/24]}}}
                  c: {interfaces: {eth1: {addresses: [10.2.0.3/24]}}}
                links:
                  - endpoints: ["a:eth1", "b:eth1"]
                  - endpoints: ["b:eth2", "c:eth1"]

                """)
        }

        /// Routes both ways through b, with `planted` on node `on` at plan line 10.
        func plan(_ name: String, planted: String, on node: String) throws -> String {
            let b = node == "b" ? planted : "true"
            let c = node == "c" ? planted : "true"
            return try lab.write(
                name,
                """
                steps:
                  - id: routes
                    blocks:
                      - node: a
                        run: |
                          ip route add 10.2.0.0/24 via 10.1.0.2 dev eth1
                      - node: b
                        run: |
                          sysctl -w net.ipv4.ip_forward=1
                          \(b)
                      - node: c
                        run: |
                          \(c)
                          ip route add 10.1.0.0/24 via 10.2.0.2 dev eth1
                  - id: ping
                    reach: {from: a, to: [10.2.0.3], count: 1, timeout_ms: 1000}

                """)
        }

        @Test("a planted unreachable on the middle hop: named with its table and plan line, each hop's kernel asked")
        func forwardDropped() throws {
            let topology = try topology()
            let plan = try plan("there.yaml", planted: "ip route add unreachable 10.2.0.3", on: "b")
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            print(run.stdoutText)
            #expect(run.status == .exited(1), "\(run.stdoutText)\(run.stderrText)")
            let text = run.stdoutText
            #expect(
                text.contains(
                    "10.2.0.3 from a: a table main via 10.1.0.2 (b) → b: table main says unreachable 10.2.0.3 "
                        + "(\(plan):10)"), "\(text)")
            #expect(text.contains("  b: ip route get 10.2.0.3 from 10.1.0.1 iif eth1 → RTNETLINK answers:"), "\(text)")
            #expect(
                text.contains(
                    "first wrong hop (on the way there): b: table main says unreachable 10.2.0.3 (\(plan):10)"),
                "\(text)")
        }

        @Test("a planted unreachable on the way back: the packet is delivered, the reply's first hop is named")
        func replyDropped() throws {
            let topology = try topology()
            let plan = try plan("back.yaml", planted: "ip route add unreachable 10.1.0.1/32", on: "c")
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            print(run.stdoutText)
            #expect(run.status == .exited(1), "\(run.stdoutText)\(run.stderrText)")
            let text = run.stdoutText
            #expect(text.contains("→ c: delivered"), "\(text)")
            #expect(
                text.contains(
                    "reply: 10.1.0.1 from c: c table main says unreachable 10.1.0.1 (\(plan):13)"), "\(text)")
            #expect(
                text.contains("first wrong hop (on the way back): c table main says unreachable 10.1.0.1 (\(plan):13)"),
                "\(text)")
        }
    }
}
