import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Fault steps on the local lab, each seen by a ping: a node's link and a whole segment down and up, netem
/// loss and delay, a partition into groups, heal, a node paused (its processes stopped) and resumed, killed.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class FaultStepRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }

        func topology() throws -> String {
            try lab.write(
                "faultlab.yaml",
                """
                name: faultlab
                nodes:
                  a: {interfaces: {eth1: {addresses: [10.0.0.1/24]}}}
                  b: {interfaces: {eth1: {addresses: [10.0.0.2/24]}}}
                  c: {interfaces: {eth1: {addresses: [10.0.0.3/24]}}}
                links:
                  - endpoints: ["a:eth1", "b:eth1", "c:eth1"]

                """)
        }

        static func reach(_ id: String, from: String, to: String, reachable: Bool) -> String {
            reachable
                ? "  - {id: \(id), reach: {from: \(from), to: [\(to)], retry: {timeout_ms: 10000, interval_ms: 100}}}\n"
                : "  - {id: \(id), reach: {from: \(from), to: [\(to)], expect: unreachable, count: 1, timeout_ms: 800}}\n"
        }

        /// The unit results of a journal, by step id.
        func results(_ journal: String) throws -> [String: [String: Any]] {
            let text = try String(contentsOfFile: journal, encoding: .utf8)
            var byStep: [String: [String: Any]] = [:]
            for line in text.split(separator: "\n") {
                guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    record["event"] as? String == "unit_finished", let result = record["result"] as? [String: Any],
                    let step = result["stepID"] as? String
                else { continue }
                byStep[step] = result
            }
            return byStep
        }

        func journalPath(in output: ProcessOutput) -> String? {
            output.stdoutText.split(separator: "\n").first { $0.hasPrefix("journal: ") }.map {
                String($0.dropFirst("journal: ".count))
            }
        }

        @Test(
            "link down/up of a node and of a segment, netem loss and delay, a partition and heal: each seen by a ping")
        func linkNetemPartition() throws {
            let topology = try topology()
            var plan = "steps:\n"
            plan += Self.reach("before", from: "a", to: "10.0.0.2, 10.0.0.3", reachable: true)
            plan += "  - {id: cut, fault: {link_down: \"b:eth1\"}}\n"
            plan += Self.reach("cut-seen", from: "a", to: "10.0.0.2", reachable: false)
            plan += Self.reach("others-fine", from: "a", to: "10.0.0.3", reachable: true)
            plan += "  - {id: back, fault: {link_up: \"b:eth1\"}}\n"
            plan += Self.reach("back-seen", from: "a", to: "10.0.0.2", reachable: true)
            plan += "  - {id: segment-down, fault: {link_down: {segment: \"a:eth1\"}}}\n"
            plan += Self.reach("segment-seen", from: "b", to: "10.0.0.3", reachable: false)
            plan += "  - {id: segment-up, fault: {link_up: {segment: \"a:eth1\"}}}\n"
            plan += Self.reach("segment-back", from: "b", to: "10.0.0.3", reachable: true)
            plan += "  - {id: lossy, fault: {netem: {interface: \"c:eth1\", loss_percent: 100}}}\n"
            plan += Self.reach("lossy-seen", from: "a", to: "10.0.0.3", reachable: false)
            if Self.kernelHasNetem {
                plan += "  - {id: slow, fault: {netem: {interface: \"c:eth1\", delay_ms: 300}}}\n"
                plan += Self.reach("slow-seen", from: "a", to: "10.0.0.3", reachable: true)
            } else {
                plan += "  - {id: slow, fault: {netem: {interface: \"c:eth1\", loss_percent: 0, rate: 1mbit}}}\n"
            }
            plan += "  - {id: partition, fault: {partition: {segment: \"a:eth1\", groups: [[a, b], [c]]}}}\n"
            plan += Self.reach("partition-inside", from: "a", to: "10.0.0.2", reachable: true)
            plan += Self.reach("partition-across", from: "b", to: "10.0.0.3", reachable: false)
            plan += "  - {id: heal, fault: heal}\n"
            plan += Self.reach("healed", from: "b", to: "10.0.0.3", reachable: true)
            let file = try lab.write("faults.yaml", plan)
            let run = try LabTestSupport.testbed(["run", "-t", topology, file], home: home, timeout: .seconds(300))
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            let journal = try #require(journalPath(in: run), "\(run.stdoutText)")
            let byStep = try results(journal)
            // netem's delay is a lower bound the kernel keeps: no answer can come back sooner.
            if Self.kernelHasNetem {
                let slow = (byStep["slow-seen"]?["pings"] as? [[String: Any]])?.first?["averageMilliseconds"] as? Double
                #expect((slow ?? 0) >= 300, "\(byStep["slow-seen"] ?? [:])")
            }
            #expect((byStep["partition"]?["stdoutTail"] as? String)?.contains("cut into a b | c") == true)
            for id in ["cut", "back", "segment-down", "segment-up", "lossy", "slow", "partition", "heal"] {
                let seconds = byStep[id]?["seconds"] as? Double ?? -1
                print("fault step \(id): \(String(format: "%.1f", seconds * 1000)) ms")
            }
            // Nothing is left in place after the run: the ledger is gone, a ping goes through.
            #expect(!FileManager.default.fileExists(atPath: home + "/faults/faultlab.json"))
        }

        /// Whether this kernel has the netem qdisc (delay and jitter need it).
        static let kernelHasNetem: Bool = {
            guard let config = try? ProcessRunner.run("/bin/sh", ["-c", "zcat /proc/config.gz 2>/dev/null"]) else {
                return true
            }
            let text = config.stdoutText
            return text.isEmpty || text.contains("CONFIG_NET_SCH_NETEM=y") || text.contains("CONFIG_NET_SCH_NETEM=m")
        }()

        @Test("a delay on a kernel without netem fails the step, saying so (loss and rate still work)")
        func delayWithoutNetem() throws {
            try #require(
                !Self.kernelHasNetem, "this kernel has netem; the delay is seen by a ping in linkNetemPartition")
            let topology = try topology()
            let plan = try lab.write(
                "delay.yaml", "steps:\n  - {id: slow, fault: {netem: {interface: \"c:eth1\", delay_ms: 5}}}\n")
            let run = try LabTestSupport.testbed(["run", "-t", topology, plan], home: home)
            #expect(run.status == .exited(1))
            #expect(
                run.stdoutText.contains(
                    "a delay needs the kernel's netem qdisc, which this kernel lacks (CONFIG_NET_SCH_NETEM)"),
                "\(run.stdoutText)")
        }

        @Test("a fault left in place by a run is healed at its end; without the heal a later ping would fail")
        func healedAtEnd() throws {
            let topology = try topology()
            let cut = try lab.write("cut.yaml", "steps:\n  - {id: cut, fault: {link_down: \"b:eth1\"}}\n")
            let check = try lab.write(
                "check.yaml", "steps:\n" + Self.reach("seen", from: "a", to: "10.0.0.2", reachable: true))
            let first = try LabTestSupport.testbed(["run", "-t", topology, cut], home: home)
            #expect(first.status == .exited(0), "\(first.stdoutText)\(first.stderrText)")
            #expect(first.stderrText.contains("healed link down b:eth1"), "\(first.stderrText)")
            let second = try LabTestSupport.testbed(["run", "-t", topology, check], home: home)
            #expect(second.status == .exited(0), "\(second.stdoutText)")
        }

        @Test("pause stops every process of a node (state T), resume continues them, kill ends the node")
        func pauseResumeKill() throws {
            let topology = try topology()
            let plan = try lab.write(
                "signals.yaml",
                "steps:\n  - {id: freeze, fault: {pause: c}}\n  - {id: thaw, fault: {resume: c}}\n"
                    + "  - {id: alive, node: c, run: \"true\"}\n  - {id: end, fault: {kill: c}}\n"
                    + Self.reach("gone", from: "a", to: "10.0.0.3", reachable: false))
            let proceed = home + "/proceed"
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "-t", topology, plan], home: home,
                environment: ["TESTBED_FAULT_PAUSE=unit-returned:freeze:c", "TESTBED_FAULT_RESUME=\(proceed)"])
            #expect(run.waitFor(text: "paused at unit-returned:freeze:c"), "\(run.stderr)")
            let summary = try Data(contentsOf: URL(fileURLWithPath: home + "/labs/faultlab/lab.json"))
            let nodes =
                (try JSONSerialization.jsonObject(with: summary) as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
            let pid = try #require(nodes.first { $0["name"] as? String == "c" }?["pid"] as? Int)
            let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            #expect(state == "T", "\(stat)")
            FileManager.default.createFile(atPath: proceed, contents: Data())
            #expect(run.wait() == .exited(0), "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("5 passed, 0 failed"), "\(run.stdout)")
            #expect(run.stderr.contains("node c killed: cannot be undone"), "\(run.stderr)")
        }

        @Test("validate locates bad fault steps: an unknown interface, a rate without a unit")
        func planRoundTrip() throws {
            let topology = try topology()
            let plan = try lab.write(
                "all.yaml",
                """
                steps:
                  - {id: f1, fault: {link_down: "a:eth1"}}
                  - {id: f2, fault: {link_up: {segment: "a:eth1"}}}
                  - {id: f3, fault: {netem: {interface: "b:eth1", delay_ms: 100, jitter_ms: 10, loss_percent: 2.5, rate: 1mbit}}}
                  - {id: f4, fault: {netem: {interface: "b:eth1", off: true}}}
                  - {id: f5, fault: {partition: {segment: "a:eth1", groups: [[a], [b, c]]}}}
                  - {id: f6, fault: {pause: {node: c, service: qspn}}}
                  - {id: f7, fault: heal}
                  - {id: bad1, fault: {link_down: "a:eth9"}}
                  - {id: bad2, fault: {netem: {interface: "a:eth1", rate: fast}}}

                """)
            let checked = try LabTestSupport.testbed(["validate", "-t", topology, plan], home: home)
            #expect(checked.status == .exited(2))
            let text = checked.stderrText
            #expect(text.contains("all.yaml:9:35: error: node 'a' has no interface 'eth9'"), "\(text)")
            #expect(text.contains("all.yaml:10:59: error: 'rate' must be digits and a unit, found 'fast'"), "\(text)")
        }
    }
}
