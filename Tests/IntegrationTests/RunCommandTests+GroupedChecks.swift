import Foundation
import Orchestrator
import Testing

/// A node's consecutive reach checks of one stage go out as one ping request on the real lab (`ReachGrouping`),
/// and each is still judged alone: the failing one is named, the ones after it on that node are skipped.
extension RealKernelTests.RunCommandTests {
    @Test("alfa's four checks of one stage are one ping request; the silent one fails alone, the next is skipped")
    func groupedChecksOnTheLab() throws {
        let plan = try write(
            "grouped.yaml",
            """
            steps:
              - id: addresses
                blocks:
                  - {node: alfa, run: "ip link set dev eth1 up; ip address add 169.254.69.30 dev eth1"}
                  - {node: beta, run: "ip link set dev eth1 up; ip address add 169.254.96.141 dev eth1"}
              - id: routes
                blocks:
                  - {node: alfa, run: ip route add 169.254.96.141 dev eth1 src 169.254.69.30}
                  - {node: beta, run: ip route add 169.254.69.30 dev eth1 src 169.254.96.141}
              - id: own
                reach: {from: alfa, to: [169.254.69.30], timeout_ms: 500}
              - id: peer
                reach: {from: alfa, to: [169.254.96.141, 169.254.69.30], timeout_ms: 500}
              - id: silent
                reach: {from: alfa, to: [169.254.96.142], timeout_ms: 500}
              - id: quiet
                reach: {from: alfa, to: [169.254.69.30], expect: unreachable, timeout_ms: 500}
              - id: beta-own
                reach: {from: beta, to: [169.254.96.141], timeout_ms: 500}
            """)
        let run = try LabTestSupport.testbed(
            ["run", "--fresh", "-t", topology, plan, "--schedule", "parallel", "--keep-going", "--json"], home: home)
        #expect(run.status == .exited(1), "\(run.stdoutText)\(run.stderrText)")
        #expect(run.stdoutText.contains("from alfa: no answer from 169.254.96.142"), "\(run.stdoutText)")
        let results = events(run).filter { $0["event"] as? String == "unit_finished" }.compactMap {
            $0["result"] as? [String: Any]
        }
        var status: [String: String] = [:]
        for result in results { status[result["stepID"] as? String ?? "?"] = result["status"] as? String }
        #expect(
            status == [
                "addresses": "passed", "routes": "passed", "own": "passed", "peer": "passed", "silent": "failed",
                "beta-own": "passed",
            ], "quiet is not judged: it would have been skipped on its own")
        let steps = events(run).filter { $0["event"] as? String == "step_finished" }
        #expect(steps.contains { $0["step"] as? String == "quiet" && $0["status"] as? String == "skipped" })
        let own = try #require(results.first { $0["stepID"] as? String == "own" })
        #expect((own["timing"] as? [String: Any])?["groupedChecks"] as? Int == 4, "one request for alfa's four checks")
        let peer = try #require(results.first { $0["stepID"] as? String == "peer" })
        let pinged = (peer["pings"] as? [[String: Any]])?.compactMap { $0["address"] as? String }
        #expect(pinged == ["169.254.96.141", "169.254.69.30"], "the check's own addresses, in its order")
    }
}
