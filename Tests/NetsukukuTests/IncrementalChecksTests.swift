import Foundation
import Netsukuku
import PlanModel
import Testing

/// Reach checks derived incrementally (walks of the previous operation reused where the tables they went
/// through did not change) are exactly the checks derived from scratch after every operation.
@Suite struct IncrementalChecksTests {
    /// Both derivations of one scenario: the plans as YAML, and the warnings.
    static func bothDerivations(_ scenario: Scenario, topology: Topology) throws -> (
        incremental: (plan: String, warnings: [String]), fromScratch: (plan: String, warnings: [String])
    ) {
        let incremental = try ScenarioCompiler.compile(scenario, topology: topology, derivation: .incremental)
        let fromScratch = try ScenarioCompiler.compile(scenario, topology: topology, derivation: .fromScratch)
        return (
            (PlanYAMLWriter.write(incremental.plan, topology: topology), incremental.warnings),
            (PlanYAMLWriter.write(fromScratch.plan, topology: topology), fromScratch.warnings)
        )
    }

    /// The first line where two texts differ, with its number; nil when they are equal.
    static func firstDifference(_ a: String, _ b: String) -> String? {
        let (left, right) = (
            a.split(separator: "\n", omittingEmptySubsequences: false),
            b.split(separator: "\n", omittingEmptySubsequences: false)
        )
        for index in 0..<max(left.count, right.count) {
            let (x, y) = (left[safe: index].map(String.init) ?? "<end>", right[safe: index].map(String.init) ?? "<end>")
            if x != y { return "line \(index + 1): incremental \(x) | from scratch \(y)" }
        }
        return nil
    }

    static func generated(systems: Int, seed: UInt64, scheme: AddressScheme?) throws -> (Scenario, Topology) {
        let output = ScenarioGenerator(systems: systems, scheme: scheme, seed: seed).generate()
        let topology = try TopologyLoader.parse(text: output.topologyYAML, path: output.topologyFileName)
        let (scenario, errors) = ScenarioLoader.read(text: output.scenarioYAML, path: "gen.yaml")
        #expect(errors.isEmpty)
        return (try #require(scenario), topology)
    }

    @Test("the author's scenario: the same plan and warnings, checks after every operation and after every wave")
    func authorsScenario() throws {
        let path = NetsukukuTestSupport.path("topologies/netsukuku-poc/scenario.yaml")
        var scenario = try ScenarioLoader.load(path: path)
        for policy in [Scenario.CheckPolicy.operation, .wave] {
            scenario.checks = policy
            let (incremental, fromScratch) = try Self.bothDerivations(
                scenario, topology: NetsukukuTestSupport.pointOfConcept)
            #expect(Self.firstDifference(incremental.plan, fromScratch.plan) == nil, "\(policy)")
            #expect(
                Self.firstDifference(
                    incremental.warnings.joined(separator: "\n"), fromScratch.warnings.joined(separator: "\n")) == nil,
                "\(policy)")
            #expect(incremental.plan.contains("reach:"))
        }
    }

    @Test("generated scenarios of 8 systems (three schemes, five seeds each): the same plan", arguments: 0..<3, 1...5)
    func eightSystems(scheme: Int, seed: Int) throws {
        let chosen = ScenarioGenerator.schemes(for: 8)[scheme]
        let (scenario, topology) = try Self.generated(systems: 8, seed: UInt64(seed), scheme: chosen)
        let (incremental, fromScratch) = try Self.bothDerivations(scenario, topology: topology)
        #expect(Self.firstDifference(incremental.plan, fromScratch.plan) == nil)
        #expect(
            Self.firstDifference(
                incremental.warnings.joined(separator: "\n"), fromScratch.warnings.joined(separator: "\n")) == nil)
    }

    @Test("generated scenarios of 20 systems, checks after every wave: the same plan", arguments: [2, 4])
    func twentySystems(seed: Int) throws {
        var (scenario, topology) = try Self.generated(systems: 20, seed: UInt64(seed), scheme: nil)
        scenario.checks = .wave
        let (incremental, fromScratch) = try Self.bothDerivations(scenario, topology: topology)
        #expect(Self.firstDifference(incremental.plan, fromScratch.plan) == nil)
        #expect(
            Self.firstDifference(
                incremental.warnings.joined(separator: "\n"), fromScratch.warnings.joined(separator: "\n")) == nil)
    }
}
