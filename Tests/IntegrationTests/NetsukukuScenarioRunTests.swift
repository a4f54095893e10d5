import Foundation
import Orchestrator
import Testing

extension RealKernelTests {
    /// Compiled Netsukuku scenarios on the real lab: the author's whole scenario, each operation alone from
    /// a tiny scenario, and generated scenarios on generated one-segment topologies. Every block's state
    /// check and every derived reach check must pass.
    @Suite(.serialized, .timeLimit(.minutes(20)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class NetsukukuScenarioRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }

        /// Compiles `scenario` for `topology`, runs the plan on a fresh lab, takes the lab down.
        func compileAndRun(topology: String, scenario: String, timeout: Duration = .seconds(300)) throws
            -> (compile: ProcessOutput, run: ProcessOutput)
        {
            let plan = home + "/plan.yaml"
            let compile = try LabTestSupport.testbed(["compile", "-t", topology, scenario, "-o", plan], home: home)
            let run = try LabTestSupport.testbed(
                ["run", "-t", topology, "--fresh", plan], home: home, timeout: timeout)
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            return (compile, run)
        }

        func expectPassed(_ output: (compile: ProcessOutput, run: ProcessOutput), _ what: String) {
            #expect(output.compile.status == .exited(0), "\(what): \(output.compile.stderrText)")
            #expect(output.compile.stderrText.contains("offline check: 0 would fail, 0 not modelled"), "\(what)")
            let summary = output.run.stdoutText + output.run.stderrText
            #expect(output.run.status == .exited(0), "\(what): \(summary.suffix(2000))")
            #expect(summary.contains(", 0 failed, 0 skipped"), "\(what): \(summary.suffix(600))")
        }

        @Test("the author's whole scenario, run as a scenario, passes end to end with every state and reach check")
        func authorsScenario() throws {
            let scenario = LabTestSupport.repository + "/topologies/netsukuku-poc/scenario.yaml"
            let run = try LabTestSupport.testbed(
                ["run", "-t", lab.netsukuku, "--fresh", "--state-check", "fail", scenario], home: home,
                timeout: .seconds(600))
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            let summary = run.stdoutText + run.stderrText
            #expect(run.status == .exited(0), "\(summary.suffix(2000))")
            #expect(summary.contains(", 0 failed, 0 skipped (193 blocks, 408 checks)"), "\(summary.suffix(600))")
        }

        @Test(
            "each operation alone, from a tiny scenario, on a fresh lab",
            arguments: [
                "start", "arc", "entry-zero-step", "entry-gnode", "migration-path", "outer-arcs", "arc-removal",
                "gateway",
            ])
        func operationAlone(name: String) throws {
            let scenario = LabTestSupport.repository + "/topologies/netsukuku-poc/operations/\(name).yaml"
            expectPassed(try compileAndRun(topology: lab.netsukuku, scenario: scenario), name)
        }

        @Test(
            "generated scenarios on one-segment topologies: every scheme at 8 systems (seeds 3, 5, 7), two at 20 (2, 4)",
            arguments: [(8, 3), (8, 5), (8, 7), (20, 2), (20, 4)])
        func generated(systems: Int, seed: Int) throws {
            let scenario = home + "/generated-\(systems)-\(seed).yaml"
            let written = try LabTestSupport.testbed(
                ["compile", "--generate", String(systems), "--seed", String(seed), "-o", scenario], home: home)
            #expect(written.status == .exited(0), "\(written.stderrText)")
            let topology = home + "/gen-\(systems)-\(seed).topology.yaml"
            expectPassed(
                try compileAndRun(topology: topology, scenario: scenario, timeout: .seconds(900)),
                "N=\(systems) seed \(seed)")
        }
    }
}
