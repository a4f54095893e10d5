import Foundation
import Netsukuku
import PlanModel
import Testing

/// Generality: seeded random scenarios (connected random arcs, entries of nodes and g-nodes, zero-step and
/// with migration paths, migrations, dismissals, three schemes) compile and pass the offline model.
@Suite struct GeneratorTests {
    static func compile(systems: Int, seed: UInt64, scheme: AddressScheme? = nil) throws -> (
        ScenarioGenerator.Output, CompiledScenario, Topology
    ) {
        let output = ScenarioGenerator(systems: systems, scheme: scheme, seed: seed).generate()
        let topology = try TopologyLoader.parse(text: output.topologyYAML, path: output.topologyFileName)
        let (_, compiled) = try ScenarioCompiler.compile(
            text: output.scenarioYAML, path: "gen-\(systems)-\(seed).yaml", topology: topology)
        return (output, compiled, topology)
    }

    /// The only warning a legal scenario may give: an anonymising ping whose answer NAT sends astray.
    static func isLostAnswer(_ warning: String) -> Bool { warning.contains("but the answer is lost") }

    @Test(
        "20 seeds × 3 schemes of 8 systems compile with no failing or unknown command and every pair reachable",
        arguments: 0..<3, 1...20)
    func eightSystems(scheme: Int, seed: Int) throws {
        let chosen = ScenarioGenerator.schemes(for: 8)[scheme]
        let (output, compiled, topology) = try Self.compile(systems: 8, seed: UInt64(seed), scheme: chosen)
        #expect(compiled.warnings.filter { !Self.isLostAnswer($0) }.isEmpty, "\(compiled.warnings.prefix(2))")
        let report = PlanChecker(topology: topology).check(compiled.plan)
        #expect(report.failures.isEmpty, "\(report.failures.prefix(2))")
        #expect(report.notModelled.isEmpty)
        #expect(output.operationCount > 8)
        #expect(compiled.plan.steps.contains { $0.isReach })
    }

    @Test("seed 3: the model predicts the anonymising answer the lab saw lost, and checks that it is")
    func lostAnswer() throws {
        let (_, compiled, _) = try Self.compile(systems: 8, seed: 3)
        #expect(
            compiled.warnings.first
                == "after arc-n6-n7: n4 reaches n7's anonymising IP 10.0.0.81, but the answer is lost: anonymisers on "
                + "the way rewrite the source, and the last one's table for packets from the hop the answer comes "
                + "through has no route back")
        let step = try #require(compiled.plan.steps.first { $0.id == "lost-answer-arc-n6-n7-n4" })
        guard case .reach(let check) = step.action else { return }
        #expect(check.targets.map(\.description) == ["10.0.0.81"])
        #expect(check.expectation == .unreachable)
    }

    @Test("the same seed gives the same scenario; another seed another one")
    func deterministic() {
        let a = ScenarioGenerator(systems: 8, seed: 7).generate()
        let b = ScenarioGenerator(systems: 8, seed: 7).generate()
        let c = ScenarioGenerator(systems: 8, seed: 8).generate()
        #expect(a.scenarioYAML == b.scenarioYAML)
        #expect(a.topologyYAML == b.topologyYAML)
        #expect(a.scenarioYAML != c.scenarioYAML)
    }

    @Test("over 20 seeds the generator uses every kind of operation and three schemes")
    func coverage() {
        var text = ""
        var schemes: Set<String> = []
        for seed in 1...20 {
            let generator = ScenarioGenerator(systems: 8, seed: UInt64(seed))
            schemes.insert(generator.scheme.description)
            text += generator.generate().scenarioYAML
        }
        #expect(schemes == ["4·2·2·2", "4·2·4", "8·2·2·2·2"])
        for kind in [
            "add_real_arc:", "enter_net: {id:", "waits_for:", "enter_net_phase_2:", "migrate:", "dismiss:",
            "remove_outer_arcs:", "remove_arc:",
        ] {
            #expect(text.contains(kind), "no \(kind)")
        }
        #expect(text.contains("gnode: [n"), "no single-node entry")
        #expect(
            text.range(of: #"enter_net: \{id: entr\d+, gnode: \d"#, options: .regularExpression) != nil,
            "no g-node entry")
        #expect(
            text.range(of: #"migrate: \{id: migr\d+, gnode: [0-9·]+·,"#, options: .regularExpression) != nil,
            "no g-node migration")
        #expect(ScenarioGenerator.schemes(for: 20).map(\.description) == ["8·2·2·2·2", "8·4·4", "8·2·4·2"])
        #expect(ScenarioGenerator.schemes(for: 50).map(\.description) == ["8·4·4·4", "16·8·8", "8·8·4·2"])
    }
}
