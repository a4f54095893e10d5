import Foundation
import Orchestrator
import Testing

/// Conformance checks on a lab node: the documented event, done under other names, passes; a wrong route fails.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class ConformanceRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }

        static let documented = """
            title: the documented event
            steps:
              - id: arc
                node: beta
                run: |
                  ip address add 169.254.96.141 dev eth1
                  ip route add 169.254.94.223 dev eth1 src 169.254.96.141
              - id: identity
                node: beta
                run: |
                  ip netns add entr02
                  ip link add dev entr02_eth1 link eth1 type macvlan
                  ip link set dev entr02_eth1 netns entr02
                  ip netns exec entr02 ip address add 169.254.215.29 dev entr02_eth1
            """

        /// A plan that does what the documentation says under names of its own, then checks conformance.
        static func plan(extra: String) -> String {
            """
            steps:
              - node: beta
                run: |
                  ip address add 169.254.103.173 dev eth1
                  ip route add 169.254.250.101 dev eth1 src 169.254.103.173
                  ip netns add ntkv0
                  ip link add dev ntkv0_eth1 link eth1 type macvlan
                  ip link set dev ntkv0_eth1 netns ntkv0
                  ip netns exec ntkv0 ip address add 169.254.7.77 dev ntkv0_eth1
                  \(extra)
              - conform:
                  node: beta
                  documented: {file: documented.yaml, steps: [arc, identity]}
                  retry: {timeout_ms: 3000, interval_ms: 100}
            """
        }

        func run(_ plan: String) throws -> ProcessOutput {
            _ = try lab.write("documented.yaml", Self.documented)
            return try LabTestSupport.testbed(
                ["run", "--fresh", "-t", lab.netsukuku, try lab.write("plan.yaml", plan)], home: home)
        }

        @Test("the event done under other names conforms; the bound names are shown")
        func conforms() throws {
            let result = try run(Self.plan(extra: "true"))
            #expect(result.status == .exited(0), "\(result.stdoutText)\(result.stderrText)")
            let journal = try String(
                contentsOfFile: home + "/runs/netsukuku-poc/"
                    + (try FileManager.default.contentsOfDirectory(atPath: home + "/runs/netsukuku-poc").sorted()
                        .last ?? "") + "/journal.jsonl", encoding: .utf8)
            #expect(journal.contains("beta conforms to documented.yaml steps arc, identity (bound: "), "\(journal)")
            #expect(journal.contains("entr02=ntkv0"))
        }

        @Test("a wrong route fails the check with the difference")
        func wrongRoute() throws {
            let result = try run(Self.plan(extra: "ip route add 10.9.0.0/24 dev eth1"))
            #expect(result.status == .exited(1))
            #expect(result.stdoutText.contains("beta does not conform to documented.yaml steps arc, identity"))
            #expect(result.stdoutText.contains("10.9.0.0/24"), "\(result.stdoutText)")
        }
    }
}
