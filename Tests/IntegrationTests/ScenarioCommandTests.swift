import Foundation
import Orchestrator
import Testing

/// The scenario commands through the built binary, offline (no lab): `compile -o`, `check`, `render` and
/// `validate` of a scenario file, and a bad scenario's problems all at once, located, exit 2.
@Suite struct ScenarioCommandTests {
    let home = LabTestHome()
    var topology: String { home.netsukuku }
    let author = LabTestSupport.repository + "/topologies/netsukuku-poc/scenario.yaml"
    let arc = LabTestSupport.repository + "/topologies/netsukuku-poc/operations/arc.yaml"

    func testbed(_ arguments: [String]) throws -> ProcessOutput {
        try LabTestSupport.testbed(arguments, home: home.path, timeout: .seconds(300))
    }

    @Test("compile -o writes a plan that check and run read as YAML; the summary counts it")
    func compileWritesPlan() throws {
        let plan = home.path + "/plan.yaml"
        let compiled = try testbed(["compile", "-t", topology, author, "-o", plan])
        #expect(compiled.status == .exited(0), "\(compiled.stderrText)")
        #expect(
            compiled.stderrText.contains(
                "27 operations → 555 steps, 193 blocks, 7548 commands, 408 checks; offline check: 0 would fail"))
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(text.hasPrefix("title: "))
        let checked = try testbed(["check", "-t", topology, plan])
        #expect(checked.status == .exited(0), "\(checked.stdoutText)")
        #expect(checked.stdoutText.hasSuffix("7548 commands in 193 blocks on 8 nodes: 0 would fail, 0 not modelled\n"))
    }

    @Test("check takes the scenario itself: the same counts as its compiled plan, exit 0")
    func checkScenario() throws {
        let checked = try testbed(["check", "-t", topology, author])
        #expect(checked.status == .exited(0), "\(checked.stdoutText)\(checked.stderrText)")
        #expect(
            checked.stdoutText.hasSuffix(
                "scenario.yaml: 7548 commands in 193 blocks on 8 nodes: 0 would fail, 0 not modelled\n"))
    }

    @Test("render of a scenario writes a page: a section per operation, '**sistema X**' blocks, ping checks")
    func renderScenario() throws {
        let page = home.path + "/arc.md"
        let rendered = try testbed(["render", "-t", topology, arc, "-o", page])
        #expect(rendered.status == .exited(0), "\(rendered.stderrText)")
        let text = try String(contentsOfFile: page, encoding: .utf8)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(
            headings == [
                "# operation: add_real_arc", "## init: system start of alfa, beta", "## add_real_arc: alfa – beta",
            ])
        #expect(text.contains("**sistema 𝛼**\n```\nsysctl net.ipv4.ip_forward=1 &>/dev/null\n"))
        #expect(text.contains("ping -q -n -c 1"))
        // The page is a plan source like any other: it checks clean.
        let checked = try testbed(["check", "-t", topology, page])
        #expect(checked.status == .exited(0), "\(checked.stdoutText)")
    }

    @Test("a bad scenario: every problem at once, located with its line and caret, exit 2, from check and run")
    func badScenario() throws {
        let bad = try home.write(
            "bad.yaml",
            """
            scenario:
              topology: topology.yaml
              systems:
                alfa: {address: 3·0·1·0}
                beta: {address: 1·0·1·0}
              operations:
                - init: [alfa, beta]
                - add_real_arc: [alfa, alfa]
                - dismiss: beta
            """)
        let expected = """
            \(bad):8:28: error: an arc from 'alfa' to itself
                    - add_real_arc: [alfa, alfa]
                                           ^
            hint: an arc joins two different systems

            \(bad):9:16: error: cannot dismiss 'beta': it is the principal identity of 'beta'
                    - dismiss: beta
                               ^
            hint: only connectivity identities (system/namespace) can be dismissed

            2 errors
            """
        for command in ["check", "run", "validate"] {
            let output = try testbed([command, "-t", topology, bad])
            #expect(output.status == .exited(2), "\(command): \(output.stderrText)")
            #expect(output.stderrText.contains(expected), "\(command): \(output.stderrText)")
        }
    }
}
