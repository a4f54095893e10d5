import Foundation
import Orchestrator
import Testing

/// The real qspnclient through the events two seed pages document in full (entr05 phase 1, migr01), each
/// compared with the page's own blocks from where the nodes really were: the run passes with every difference
/// listed as a finding, each program's end is reported, and nothing is left behind.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(20)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class QspnclientSeedEventTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        let plan = LabTestSupport.repository + "/topologies/netsukuku-poc/qspnclient-entr05.yaml"

        @Test(
            "entr05 phase 1 and migr01 run on the real program; every conformance check against the seeds reports",
            .enabled(if: SeedPages.mustRun, SeedPages.skipReason))
        func entr05AndMigr01() throws {
            try SeedPages.require()
            let binary = try ProgramUnderTest.qspnclient()
            let before = try SystemSnapshot.capture()
            let result = try ProgramUnderTest.testbed(
                [
                    "run", "--fresh", "-t", lab.netsukuku, plan, "--define", "QSPNCLIENT=\(binary)",
                    "--define", "SEEDS=\(SeedPages.directory)",
                ], home: home)
            let text = result.stdoutText + result.stderrText
            #expect(result.status == .exited(0), "\(text)")
            for (step, node) in [
                ("conform-entr05-epsilon", "epsilon"), ("conform-entr05-beta", "beta"),
                ("conform-migr01-beta", "beta"), ("conform-migr01-gamma", "gamma"),
                ("conform-migr01-epsilon", "epsilon"),
            ] {
                #expect(text.contains("finding: node '\(node)', step "), "\(step)")
                #expect(text.contains(" \(step) ("), "\(step) is listed with its findings")
            }
            // epsilon took the virtual 2·1·1·2, beta moved on to 2·0·1·1 keeping 2·1·1·3 for connectivity.
            let run = try ProgramUnderTest.newestRun(home: home, topology: "netsukuku-poc")
            let outputs = try ProgramUnderTest.results(inRun: run).filter { $0["kind"] as? String == "expect" }
            #expect(
                outputs.contains { $0["stepID"] as? String == "identities-beta" && $0["status"] as? String == "passed" }
            )
            // Findings the program is known for (docs/findings): the namespace's sysctls go elsewhere.
            #expect(text.contains("documented `ip netns exec ntkv0 sysctl net.ipv4.ip_forward=1`"), "\(text)")
            for node in ["gamma", "beta", "epsilon"] {
                let line = text.split(separator: "\n").first { $0.contains("qspn on \(node): ") }
                #expect(line != nil)
                print("seed events: \(line ?? "?")")
            }
            print("seed events: \(text.split(separator: "\n").first { $0.contains(" findings (where") } ?? "?")")
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            try SystemSnapshot.expectNoLeftovers(since: before)
        }
        /// entr05's phase 2 (`enter_net_phase_2` on epsilon after migr01), the plan's steps and these two after
        /// them. Phase 2 is not part of the shipped plan: this version of the program aborts on it, and this test
        /// pins that finding — when the program is fixed, it fails and phase 2 goes into the plan with its checks.
        static let phaseTwo = """
              - id: enter-phase-2-epsilon
                title: epsilon takes its real address (entr05 phase 2, after migr01)
                node: epsilon
                run: QSPNCLIENT_FIFODIR=/root/q timeout 20 ${QSPNCLIENT} enter_net_phase_2 0 5000001
              - id: identities-epsilon-phase-2
                expect:
                  node: epsilon
                  run: QSPNCLIENT_FIFODIR=/root/q timeout 10 ${QSPNCLIENT} show_local_identities
                  stdout_contains: ["address 2:1:1:"]
                  retry: {timeout_ms: 10000, interval_ms: 200}

            """

        @Test(
            "entr05 phase 2 on the real program: epsilon's qspnclient aborts on enter_net_phase_2, reported as such",
            .enabled(if: SeedPages.mustRun, SeedPages.skipReason))
        func entr05PhaseTwo() throws {
            try SeedPages.require()
            let before = try SystemSnapshot.capture()
            let result = try runExtended(
                plan, with: Self.phaseTwo, named: "entr05-phase-2.yaml", defines: ["SEEDS=\(SeedPages.directory)"])
            let text = result.stdoutText + result.stderrText
            print("entr05 phase 2: \(text.split(separator: "\n").first { $0.contains("qspn on epsilon: ") } ?? "?")")
            #expect(result.status == .exited(1), "\(text)")
            #expect(text.contains("FAILED at node 'epsilon', step 43 enter-phase-2-epsilon"), "\(text)")
            #expect(text.contains("qspn on epsilon: exited with status 134 (killed by signal 6, SIGABRT)"), "\(text)")
            #expect(text.contains("assertion failed"), "the log tail shows the program's assertion: \(text)")
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            try SystemSnapshot.expectNoLeftovers(since: before)
        }

        /// entr03, the entry of the g-node χ = {delta, mu} into gamma's network: both members prepare and enter
        /// together (one operation id), appended to qspnclient-entr03.yaml, which builds its ground (entr02,
        /// entr01, the arc delta–gamma). This version of the program crashes both members there; the test pins
        /// that finding — when the program carries the entry out, it fails, and the entry goes into the plan.
        static let entr03 = """
              - id: prepare-entr03
                op: enter-net-phase-1
                together: true
                blocks:
                  - node: delta
                    run: QSPNCLIENT_FIFODIR=/root/q timeout 20 ${QSPNCLIENT} prepare_enter_net_phase_1 0 1 2 2.1 0.0 2 1 0 1 2 1 [1] 7000001 null
                  - node: mu
                    run: QSPNCLIENT_FIFODIR=/root/q timeout 20 ${QSPNCLIENT} prepare_enter_net_phase_1 1 1 2 2.1 0.0 2 1 0 1 2 1 [0] 7000001 null
              - id: enter-entr03
                op: enter-net-phase-1
                together: true
                blocks:
                  - node: delta
                    run: QSPNCLIENT_FIFODIR=/root/q timeout 30 ${QSPNCLIENT} enter_net_phase_1 0 7000001
                  - node: mu
                    run: QSPNCLIENT_FIFODIR=/root/q timeout 30 ${QSPNCLIENT} enter_net_phase_1 1 7000001
              - id: identities-entr03-delta
                expect:
                  node: delta
                  run: QSPNCLIENT_FIFODIR=/root/q timeout 10 ${QSPNCLIENT} show_local_identities
                  stdout_contains: ["address 2:1:2:1", "namespace default"]
                  retry: {timeout_ms: 10000, interval_ms: 200}

            """

        @Test("entr03 on the real program: both members of the entering g-node crash, reported as such")
        func entr03Entry() throws {
            let before = try SystemSnapshot.capture()
            let ground = LabTestSupport.repository + "/topologies/netsukuku-poc/qspnclient-entr03.yaml"
            let result = try runExtended(ground, with: Self.entr03, named: "entr03-entry.yaml")
            let text = result.stdoutText + result.stderrText
            for node in ["delta", "mu"] {
                print("entr03: \(text.split(separator: "\n").first { $0.contains("qspn on \(node): ") } ?? "?")")
            }
            // Every step of the shipped plan passed (a run stops at its first failure), the entry did not.
            #expect(result.status == .exited(1), "\(text)")
            #expect(text.contains("FAILED at node 'delta', step 41 enter-entr03"), "\(text)")
            for node in ["delta", "mu"] {
                #expect(
                    text.contains("qspn on \(node): exited with status 133 (killed by signal 5, SIGTRAP)")
                        || text.contains("qspn on \(node): exited with status 139 (killed by signal 11, SIGSEGV)"),
                    "\(node)'s program ends by a crash: \(text)")
            }
            #expect(text.contains("Error in command: `ip route add unreachable 10.0.0.0/29 table ntk_from_"), "\(text)")
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            try SystemSnapshot.expectNoLeftovers(since: before)
        }

        /// Runs a copy of `plan` with `steps` appended, on a fresh lab. The plans name files beside them
        /// (demo.yaml, scenario.yaml and its topology), so the whole directory is copied into the test's home.
        private func runExtended(
            _ plan: String, with steps: String, named name: String, defines: [String] = []
        ) throws -> ProcessOutput {
            let binary = try ProgramUnderTest.qspnclient()
            let directory = home + "/netsukuku-poc"
            if !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.copyItem(
                    atPath: LabTestSupport.repository + "/topologies/netsukuku-poc", toPath: directory)
            }
            let extended = directory + "/" + name
            try (String(contentsOfFile: plan, encoding: .utf8) + steps).write(
                toFile: extended, atomically: true, encoding: .utf8)
            let arguments = ["run", "--fresh", "-t", lab.netsukuku, extended, "--define", "QSPNCLIENT=\(binary)"]
            return try ProgramUnderTest.testbed(arguments + defines.flatMap { ["--define", $0] }, home: home)
        }
    }
}
