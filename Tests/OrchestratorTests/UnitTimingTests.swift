import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

/// Every block and reach result carries a `UnitTiming`, and its count of state queries is what the node was asked.
/// The seconds are only printed by the bench, never asserted.
@Suite struct UnitTimingTests {
    let topology: Topology
    let plan: Plan

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: }\n", path: "t.yaml")
        plan = try PlanLoader.parse(
            text: """
                steps:
                  - {id: hole, node: a, run: ip route add blackhole 10.9.0.0/24}
                  - {id: see, reach: {from: a, to: [127.0.0.1]}}
                """, path: "p.yaml", topology: topology)
    }

    func run(mode: StateCheckMode, asked: EventLog) async throws -> RunReport {
        let fresh = NodeState.freshLabNode(try #require(topology.nodes["a"]))
        let channels = ScriptedNode.fleet(["a"], log: EventLog()) { _, request in
            switch request {
            case .run(let run):
                asked.append("\(run.stateQueries.count)")
                let outputs = run.stateQueries.map { query in
                    NodeResponse.StateOutput(
                        query: query, exitStatus: 0,
                        bytes: Array(
                            (query.kind == .routes
                                ? StateCheckEngineTests.withRoute : StateCheckEngineTests.dump(query))
                                .utf8))
                }
                return .run(.init(exitStatus: 0, stateOutputs: outputs))
            case .ping(let ping):
                return .ping(
                    .init(
                        targets: ping.addresses.map { .init(address: $0, exitStatus: 0, transmitted: 1, received: 1) }))
            default: return .failure("unexpected")
            }
        }
        let engine = ExecutionEngine(
            plan: plan, topologyName: "t", schedule: try Schedule.make(for: plan, mode: .document), channels: channels,
            order: ["a"], options: RunOptions(), stop: StopSignal(),
            tracker: StateTracker(mode: mode, states: ["a": fresh]))
        return await engine.run(observers: [], setupSeconds: 0, journalPath: nil)
    }

    @Test("a checked block's timing counts the state queries the node was asked; the reach check has a timing too")
    func checked() async throws {
        let asked = EventLog()
        let report = try await run(mode: .fail, asked: asked)
        try #require(report.results.map(\.kind) == [.block, .reach])
        #expect(report.succeeded)
        let block = try #require(report.results[0].timing)
        #expect(block.stateQueries > 0)
        #expect(block.stateQueries == asked.all.compactMap { Int($0) }.reduce(0, +))
        #expect(report.results[1].timing?.stateQueries == 0)
    }

    @Test("without state checks a block asks no queries and its timing says so")
    func unchecked() async throws {
        let asked = EventLog()
        let report = try await run(mode: .off, asked: asked)
        #expect(report.results[0].timing?.stateQueries == 0)
        #expect(asked.all.compactMap { Int($0) }.reduce(0, +) == 0)
    }
}
