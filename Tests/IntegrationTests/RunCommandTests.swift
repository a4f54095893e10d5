import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `testbed run` end to end on the local lab: the demo, failures, schedules, slices, reports, Ctrl-C.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class RunCommandTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }
        var demo: String { LabTestSupport.repository + "/topologies/netsukuku-poc/demo.yaml" }

        func write(_ name: String, _ text: String) throws -> String { try lab.write(name, text) }

        /// JSON events of a `--json` run.
        func events(_ output: ProcessOutput) -> [[String: Any]] {
            output.stdout.split(separator: UInt8(ascii: "\n")).compactMap {
                try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
            }
        }

        @Test("the demo passes with every check from nothing; its JUnit validates against the JUnit schema")
        func demoPasses() throws {
            let junit = home + "/demo.xml"
            let run = try LabTestSupport.testbed(
                ["run", "--fresh", "-t", topology, demo, "--junit", junit], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            #expect(run.stdoutText.contains("passed — 24 passed, 0 failed, 0 skipped (17 blocks, 7 checks)"))
            let xml = try String(contentsOfFile: junit, encoding: .utf8)
            #expect(xml.contains("tests=\"24\" failures=\"0\" errors=\"0\" skipped=\"0\""))
            #expect(xml.contains("source: \(demo):14-65"))
            let schema = LabTestSupport.repository + "/Tests/IntegrationTests/Support/junit.xsd"
            let valid = try ProcessRunner.run("/usr/bin/xmllint", ["--noout", "--schema", schema, junit])
            #expect(valid.status == .exited(0), "\(valid.stderrText)")
            // The schema check bites: a test case without its classname is rejected.
            let broken = try write("broken.xml", xml.replacingOccurrences(of: " classname=", with: " class="))
            #expect(
                try ProcessRunner.run("/usr/bin/xmllint", ["--noout", "--schema", schema, broken]).status != .exited(0))
        }

        @Test("a failing command mid-block stops the run at the right node, step and plan line, exit 1")
        func failureMidBlock() throws {
            let plan = try write(
                "fail.yaml",
                """
                steps:
                  - id: ok
                    node: alfa
                    run: ip link set dev eth1 up
                  - id: broken
                    node: beta
                    run: |
                      ip address add 169.254.96.141 dev eth1
                      ip route change 10.0.0.20/31 table 250 via 169.254.94.223 dev eth1
                      echo never
                  - id: after
                    node: gamma
                    run: "true"
                """)
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan, "--json"], home: home)
            #expect(run.status == .exited(1))
            #expect(run.stderrText.contains("error: node 'beta', step 2 broken"))
            // Batched with the line before it: ip -batch names the line; its status is ip -batch's.
            #expect(
                run.stderrText.contains(
                    "`ip route change 10.0.0.20/31 table 250 via 169.254.94.223 dev eth1` (\(plan):9) failed (ip -batch status 1)"
                ))
            let unbatched = try LabTestSupport.testbed(
                ["run", "--fresh", "--no-batch", "-t", topology, plan], home: home)
            #expect(
                unbatched.stdoutText.contains(
                    "`ip route change 10.0.0.20/31 table 250 via 169.254.94.223 dev eth1` (\(plan):9) exited with status 2"
                ))
            #expect(run.stderrText.contains("Nexthop has invalid gateway"))
            let finished = events(run).filter { $0["event"] as? String == "unit_finished" }
            let statuses = finished.compactMap { ($0["result"] as? [String: Any])?["status"] as? String }
            #expect(statuses == ["passed", "failed"])
            let steps = events(run).filter { $0["event"] as? String == "step_finished" }.compactMap {
                $0["status"] as? String
            }
            #expect(steps == ["passed", "failed", "skipped"])
        }

        @Test("a reach check with no answer fails the run and names the silent address")
        func reachCheckBites() throws {
            let plan = try write(
                "reach.yaml",
                """
                steps:
                  - id: addresses
                    blocks:
                      - {node: alfa, run: ip address add 169.254.69.30 dev eth1}
                      - {node: beta, run: ip address add 169.254.96.141 dev eth1}
                  - id: no-route-yet
                    reach: {from: alfa, to: [169.254.96.141]}
                """)
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(run.status == .exited(1))
            #expect(run.stdoutText.contains("from alfa: no answer from 169.254.96.141"))
        }

        @Test("parallel order reaches the same end state as document order on the demo")
        func schedulesAgree() throws {
            let nodes = ["alfa", "beta", "gamma", "delta"]
            func state() throws -> [String: String] {
                var result: [String: String] = [:]
                for node in nodes {
                    let dump = try LabTestSupport.testbed(
                        [
                            "exec", "-t", topology, node, "--",
                            "ip -4 -j route show table all; ip -j rule show; ip -4 -j address show; ip netns list; cat /etc/iproute2/rt_tables; iptables-save | grep -v '^#'",
                        ],
                        home: home)
                    #expect(dump.status == .exited(0))
                    result[node] = dump.stdoutText
                }
                return result
            }
            let document = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, demo], home: home)
            #expect(document.status == .exited(0), "\(document.stdoutText)")
            let afterDocument = try state()
            let parallel = try LabTestSupport.testbed(
                ["run", "--fresh", "-t", topology, demo, "--schedule", "parallel"], home: home)
            #expect(parallel.status == .exited(0), "\(parallel.stdoutText)")
            let afterParallel = try state()
            for node in nodes {
                #expect(afterDocument[node] == afterParallel[node], "\(node) differs")
                #expect(afterDocument[node]?.contains("10.0.0.23") == true || node != "beta")
            }
        }

        @Test("--from/--to run exactly the chosen slice")
        func slices() throws {
            let plan = try write(
                "slice.yaml",
                """
                steps:
                  - {id: one, node: alfa, run: "echo one >> /tmp/slice-$$"}
                  - {id: two, node: alfa, run: "echo two"}
                  - {id: three, node: beta, run: "echo three"}
                  - {id: four, node: beta, run: "echo four"}
                """)
            let run = try LabTestSupport.testbed(
                ["run", "-t", topology, plan, "--from", "two", "--to", "3", "--json", "--schedule", "document"],
                home: home)
            #expect(run.status == .exited(0), "\(run.stderrText)")
            let ran = events(run).filter { $0["event"] as? String == "unit_finished" }.compactMap {
                ($0["result"] as? [String: Any])?["stepID"] as? String
            }
            #expect(ran == ["two", "three"])
            let dry = try LabTestSupport.testbed(
                ["run", "-t", topology, plan, "--to", "one", "--dry-run", "--schedule", "document"], home: home)
            #expect(
                dry.stdoutText.hasPrefix(
                    "schedule: document order (as asked)\nschedule: document order, 1 stages, 1 units\n"))
        }

        @Test("an invalid plan is refused before any connection with located errors, exit 2")
        func invalidPlan() throws {
            let plan = try write(
                "bad.yaml", "steps:\n  - node: zeta\n    run: true\n  - reach: {from: alfa, to: [10.0.0.300]}\n")
            let run = try LabTestSupport.testbed(["run", "-t", topology, plan], home: home)
            #expect(run.status == .exited(2))
            #expect(run.stderrText.contains("\(plan):2:11: error: unknown node 'zeta'"))
            #expect(run.stderrText.contains("\(plan):4:30: error: '10.0.0.300' is not an IP address"))
            #expect(Lab.status(root: home).isEmpty, "no lab was brought up for an invalid plan")
        }

        @Test("Ctrl-C stops after the blocks in flight, reports, and exits 130")
        func interrupt() throws {
            let plan = try write(
                "slow.yaml",
                "steps:\n  - {id: slow, node: alfa, run: sleep 2}\n  - {id: next, node: beta, run: \"true\"}\n")
            _ = try LabTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            let child = try LabTestSupport.start(["run", "-t", topology, plan, "--schedule", "document"], home: home)
            usleep(1_000_000)
            child.signal(SIGINT)
            let (status, text) = LabTestSupport.finish(child)
            #expect(status == .exited(130))
            #expect(text.contains("interrupted — 1 passed, 0 failed, 1 skipped"), "\(text)")
        }
    }
}
