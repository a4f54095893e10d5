import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

/// State checks in the engine, against a node in memory that answers the probes with chosen dumps.
@Suite struct StateCheckEngineTests {
    let topology: Topology
    let plan: Plan

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: }\n", path: "t.yaml")
        plan = try PlanLoader.parse(
            text: "steps:\n  - {id: hole, node: a, run: ip route add blackhole 10.9.0.0/24}\n", path: "p.yaml",
            topology: topology)
    }

    /// Runs the plan with state checks in `mode`; the node answers every routes probe with `routes`.
    func run(mode: StateCheckMode, routes: String) async throws -> RunReport {
        let fresh = NodeState.freshLabNode(try #require(topology.nodes["a"]))
        let tracker = StateTracker(mode: mode, states: ["a": fresh])
        let log = EventLog()
        let channels = ScriptedNode.fleet(["a"], log: log) { _, request in
            guard case .run(let run) = request else { return .failure("unexpected") }
            let outputs = run.stateQueries.map { query in
                NodeResponse.StateOutput(
                    query: query, exitStatus: 0, bytes: Array((query.kind == .routes ? routes : Self.dump(query)).utf8))
            }
            return .run(.init(exitStatus: 0, stateOutputs: outputs))
        }
        let engine = ExecutionEngine(
            plan: plan, topologyName: "t", schedule: try Schedule.make(for: plan, mode: .document), channels: channels,
            order: ["a"], options: RunOptions(), stop: StopSignal(), tracker: tracker)
        return await engine.run(observers: [], setupSeconds: 0, journalPath: nil)
    }

    /// What a fresh node answers to the other probes.
    static func dump(_ query: NodeRequest.StateQuery) -> String {
        switch query.kind {
        case .rtTables: "255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n"
        case .rules:
            #"[{"priority":0,"src":"all","table":"local"},{"priority":32766,"src":"all","table":"main"},{"priority":32767,"src":"all","table":"default"}]"#
        default: "[]"
        }
    }

    /// The loopback routes every fresh node has, then the rest.
    static func routes(_ more: String...) -> String {
        let local = [
            #"{"type":"local","dst":"127.0.0.0/8","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"127.0.0.1","flags":[]}"#,
            #"{"type":"local","dst":"127.0.0.1","dev":"lo","table":"local","protocol":"kernel","scope":"host","prefsrc":"127.0.0.1","flags":[]}"#,
            #"{"type":"broadcast","dst":"127.255.255.255","dev":"lo","table":"local","protocol":"kernel","scope":"link","prefsrc":"127.0.0.1","flags":[]}"#,
        ]
        return "[" + (more + local).joined(separator: ",") + "]"
    }

    static let withRoute = routes(#"{"type":"blackhole","dst":"10.9.0.0/24","flags":[]}"#)

    @Test("a node whose routes match the model passes")
    func matching() async throws {
        let report = try await run(mode: .fail, routes: Self.withRoute)
        #expect(report.succeeded, "\(report.results.flatMap(\.stateDifferences))")
    }

    @Test("a route missing on the node fails the block with the difference; warn keeps it passed")
    func difference() async throws {
        let failed = try await run(mode: .fail, routes: Self.routes())
        #expect(failed.results.map(\.status) == [.failed])
        let differences = failed.results[0].stateDifferences
        #expect(differences.count == 1)
        #expect(differences.first?.contains("10.9.0.0/24") == true, "\(differences)")
        #expect(failed.results[0].message == "the kernel state after the block differs from the model (1 difference)")
        let warned = try await run(mode: .warn, routes: Self.routes())
        #expect(warned.results.map(\.status) == [.passed])
        #expect(warned.results[0].stateDifferences == differences)
    }

    @Test("a dump the parser cannot read is a difference, not a pass")
    func unreadable() async throws {
        let report = try await run(mode: .fail, routes: "not json")
        #expect(report.results.map(\.status) == [.failed])
        #expect(report.results[0].stateDifferences.first?.hasPrefix("cannot read the node's state") == true)
    }
}
