import Foundation
import Orchestrator
import Testing

/// The real qspnclient driven on a lab: the documented zero-step entry passes with its findings shown, and a
/// wrong documented route fails a conformance check.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(20)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class QspnclientRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        let plan = LabTestSupport.repository + "/topologies/netsukuku-poc/qspnclient-entr02.yaml"

        @Test(
            "entr02 with the real program passes; every documented-vs-real difference is a finding in the summary and journal"
        )
        func entr02() throws {
            let before = try SystemSnapshot.capture()
            // No QSPNCLIENT: the plan's parameter runs Scripts/build-sut (which builds only into an empty cache).
            let result = try ProgramUnderTest.testbed(
                ["run", "--fresh", "-t", lab.netsukuku, plan], home: home, without: ["QSPNCLIENT"])
            let text = result.stdoutText + result.stderrText
            #expect(result.status == .exited(0), "\(text)")
            #expect(text.contains("parameter QSPNCLIENT = /"), "\(text)")
            for finding in Self.knownFindings {
                #expect(text.contains(finding), "missing finding: \(finding)\n\(text)")
            }
            // How each program ended is reported: a clean stop, or the teardown race's abort with its log tail.
            for node in ["gamma", "beta"] {
                let line = text.split(separator: "\n").first { $0.contains("qspn on \(node): ") }.map(String.init)
                #expect(line != nil, "\(text)")
                if let line, !line.contains("status 0 ") {
                    #expect(line.contains("(killed by signal"), "\(line)")
                    #expect(text.contains("last lines of its log:"))
                }
            }
            let run = try ProgramUnderTest.newestRun(home: home, topology: "netsukuku-poc")
            let results = try ProgramUnderTest.results(inRun: run)
            let findings = results.filter { ($0["message"] as? String)?.hasPrefix("finding: ") == true }
            #expect(findings.count >= 8, "conformance checks with findings: \(findings.count)")
            let journal = try String(contentsOfFile: run + "/journal.jsonl", encoding: .utf8)
            #expect(journal.contains("netns list on beta: expected ntkv0, found nothing"))
            let log = try String(contentsOfFile: run + "/services/beta-qspn.out", encoding: .utf8)
            #expect(log.contains("$ ip netns add ntkv0"), "the program's log is in the run directory")
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            try SystemSnapshot.expectNoLeftovers(since: before)
        }

        /// Differences the findings document (docs/findings/qspnclient-zero-step-entry.md, section 3), as the
        /// run's summary words them.
        static let knownFindings = [
            "findings (where the nodes differ from the documentation):",
            // 4: the program never writes `251 ntk`.
            "documented rt_tables line 66 on gamma: expected '251 ntk # xxx_table_ntk_xxx', found nothing",
            // 5: a forwarding table's name is a renamed reserved line.
            "rt_tables line 14 on beta: expected '250 reserved_ntk_from_250', found '250 ntk_from_00:16:3E:5B:78:D5'",
            // 6: the arc route comes when the neighbour is heard, before add_real_arc.
            "commands on gamma: ran `ip route add 169.254.",
            // 7: the new namespace's sysctls go to the default namespace.
            "commands on beta: documented `ip netns exec ntkv0 sysctl net.ipv4.ip_forward=1`",
            "not documented here (after `ip netns add ntkv0`): `sysctl net.ipv4.ip_forward=1`",
            // 3: no MAC is set on the macvlan.
            "documented `ip netns exec ntkv0 ip link set dev ntkv0_eth1 address 00:16:3E:8E:91:B9`",
            // 8: routes first, then SNAT and addresses.
            "`iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.10` … `ip address del 10.0.0.40/32 dev eth1`",
            // 11: the old identity is dismissed inside enter_net_phase_1; 10: its address is real already.
            "netns list on beta: expected ntkv0, found nothing",
            "link eth1 on beta: expected nothing, found address 10.0.0.23/32",
        ]

        @Test("a wrong documented route fails the conformance check with the difference")
        func wrongRoute() throws {
            let binary = try ProgramUnderTest.qspnclient()
            let documented = LabTestSupport.repository + "/topologies/netsukuku-poc/demo.yaml"
            let plan = try lab.write(
                "wrong.yaml",
                """
                parameters:
                  QSPNCLIENT: {env: QSPNCLIENT}
                steps:
                  - node: gamma
                    run: |
                      { echo; echo "251 ntk"; for i in $(seq 250 -1 200); do echo "$i reserved_ntk_from_$i"; done; } >> /etc/iproute2/rt_tables
                      mkdir -p /root/q
                  - expect: {node: gamma, run: ip -6 address show tentative, stdout_excludes: [inet6], retry: {timeout_ms: 10000}}
                  - service:
                      node: gamma
                      name: qspn
                      start: exec ${QSPNCLIENT} -i eth1 -k init 4.2.2.2 2.1.1.0
                      env: {QSPNCLIENT_FIFODIR: /root/q}
                      ready:
                        run: test -p /root/q/qspnclient_pipe_commands && QSPNCLIENT_FIFODIR=/root/q timeout 10 ${QSPNCLIENT} show_local_identities
                        retry: {timeout_ms: 30000}
                  - conform:
                      node: gamma
                      documented: {file: \(documented), steps: [start-gamma]}
                      on_difference: report
                      retry: {timeout_ms: 2000}
                  - id: wrong
                    conform:
                      node: gamma
                      documented: [{run: ip route add unreachable 10.0.0.96/29 table ntk}]
                      retry: {timeout_ms: 2000}
                """)
            let result = try ProgramUnderTest.testbed(
                ["run", "--fresh", "-t", lab.netsukuku, plan, "--define", "QSPNCLIENT=\(binary)"], home: home)
            #expect(result.status == .exited(1), "\(result.stdoutText)\(result.stderrText)")
            #expect(result.stdoutText.contains("step 5 wrong"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("gamma does not conform to inline blocks"))
            #expect(result.stdoutText.contains("table ntk on gamma: expected unreachable 10.0.0.96/29, found nothing"))
        }
    }
}
