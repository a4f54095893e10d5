import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The fault suite: a lab node killed mid-block (every process of its network namespace, its holder too,
/// found by the namespace's inode from the holder's recorded PID): the unit fails naming the node, the run
/// stops, and `--resume` is refused, naming the node that is gone.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class NodeKilledTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }

        /// The PIDs whose network namespace is that of `holder`.
        static func members(of holder: Int32) throws -> [Int32] {
            let inode = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(holder)/ns/net")
            return (try FileManager.default.contentsOfDirectory(atPath: "/proc")).compactMap { Int32($0) }.filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/ns/net")) == inode
            }
        }

        @Test(
            "a node killed mid-block: the unit fails naming the node, the run stops; --resume is refused naming the dead node"
        )
        func nodeKilled() throws {
            let plan = try lab.write(
                "node.yaml",
                """
                steps:
                  - {id: first, node: alfa, run: ip address add 10.0.0.32/32 dev lo}
                  - id: mid
                    node: alfa
                    run: |
                      touch \(home)/marker
                      sleep 30
                      ip address add 10.0.0.34/32 dev lo
                  - {id: last, node: beta, run: ip address add 10.0.0.40/32 dev lo}

                """)
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", topology, plan, "--schedule", "document"], home: home)
            #expect(run.waitFor(file: home + "/marker"), "\(run.stdout)\(run.stderr)")
            let summary = try Data(contentsOf: URL(fileURLWithPath: home + "/labs/netsukuku-poc/lab.json"))
            let nodes =
                (try JSONSerialization.jsonObject(with: summary) as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
            let recorded = nodes.first { $0["name"] as? String == "alfa" }?["pid"] as? Int
            let holder = Int32(try #require(recorded))
            let members = try Self.members(of: holder)
            try #require(members.contains(holder) && members.count > 1, "\(members)")
            let killed = ContinuousClock.now
            for pid in members { _ = Glibc.kill(pid, SIGKILL) }
            #expect(run.wait(seconds: 60) == .exited(1), "\(run.stdout)\(run.stderr)")
            print(
                "node killed (\(members.count) processes): the run ended "
                    + String(format: "%.2f", killed.secondsSince) + " s later")
            #expect(run.stdout.contains("node 'alfa', step 2 mid"), "\(run.stdout)")
            #expect(run.stdout.contains("FAILED — 1 passed, 1 failed, 1 skipped"), "\(run.stdout)")
            let resumed = try LabTestSupport.testbed(["run", "-t", topology, plan, "--resume"], home: home)
            // The node's kernel state died with its holder: the resume is refused before it connects, naming
            // the node and the holder's recorded PID, and saying what to do instead.
            #expect(resumed.status == .exited(2), "\(resumed.stdoutText)\(resumed.stderrText)")
            #expect(
                resumed.stderrText == """
                    error: lab 'netsukuku-poc' lost node 'alfa' (PID \(holder)): the process holding it, recorded \
                    at lab up, is gone, and the node's kernel state (interfaces, addresses, routes, rules, iptables, \
                    sysctls) with it
                    hint: there is nothing left to resume on; run the plan again on a fresh lab: testbed run \
                    --fresh -t \(topology) PLAN

                    """, "\(resumed.stderrText)")
            print("resume after the node was killed: \(resumed.stderrText.split(separator: "\n").last ?? "")")
            // A refused resume leaves no run directory behind: asked again, it is refused the same way, not as a
            // newer run that stopped before it recorded its start.
            let runs = try FileManager.default.contentsOfDirectory(atPath: home + "/runs/netsukuku-poc")
            #expect(runs.count == 1, "\(runs)")
            let again = try LabTestSupport.testbed(["run", "-t", topology, plan, "--resume"], home: home)
            #expect(again.stderrText == resumed.stderrText, "\(again.stderrText)")
        }
    }
}
