import Foundation
import Logging
import NodeAgentProtocol
import Orchestrator
import PlanModel
import Testing

/// Each seed page replays on a fresh netsukuku-poc lab: the synthesised prior state is applied through the
/// agent, then every block of the page runs with its probes, and the dumped state equals the model's
/// prediction after every block (zero differences).
@Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
final class StateModelSeedReplayTests {
    let home = LabTestSupport.makeStateRoot()
    let logger = Logger(label: "state-model-replay")

    deinit { try? FileManager.default.removeItem(atPath: home) }

    static let seeds = LabTestSupport.seeds

    @Test(
        "a seed page replays on a fresh lab with zero differences after every block",
        .enabled(if: SeedPages.mustRun, SeedPages.skipReason),
        arguments: ["000", "001", "002", "003", "004"])
    func seedReplays(prefix: String) throws {
        try SeedPages.require()
        let topology = try TopologyLoader.load(
            path: LabTestSupport.repository + "/topologies/netsukuku-poc/topology.yaml")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: Self.seeds).first { $0.hasPrefix(prefix) })
        let text = try String(contentsOfFile: Self.seeds + "/" + name, encoding: .utf8)
        let plan = try PlanSource.parse(text: text, path: name, topology: topology, format: .page).plan
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(plan)
        #expect(synthesis.unresolved.isEmpty)

        let summary = try LabBuilder(topology: topology, root: home, logger: logger).up()
        defer { _ = try? LabTeardown(paths: LabPaths(name: topology.name, root: home), logger: logger).down() }
        var clients: [NodeName: AgentClient] = [:]
        defer { for client in clients.values { client.close() } }
        func client(_ node: NodeName) throws -> AgentClient {
            if let existing = clients[node] { return existing }
            let pid = try #require(summary.nodes.first { $0.name == node }?.pid)
            let stream = try PipeAgentStream.launch(
                executable: "/usr/bin/nsenter",
                arguments: [
                    "--target", "\(pid)", "--net", "--mount", "--uts", "--", "/bin/bash", "-c",
                    AgentScript.launchCommand,
                ])
            let made = AgentClient(stream: stream)
            _ = try made.hello(until: .now + .seconds(10))
            clients[node] = made
            return made
        }

        var models: [NodeName: NodeState] = [:]
        for node in plan.nodes {
            let fresh = try #require(topology.nodes[node].map { NodeState.freshLabNode($0) })
            let script = synthesis.script(for: node)
            if !script.isEmpty {
                let result = try client(node).run(NodeRequest.RunRequest(script: script), until: .now + .seconds(30))
                #expect(
                    result.isSuccess,
                    "\(prefix) \(node) prior state failed at line \(result.failedLine ?? 0): \(result.stderrText)")
            }
            models[node] = synthesis.states[node] ?? fresh
        }
        var blocks = 0
        for step in plan.steps {
            for block in step.blocks {
                let model = try #require(models[block.node])
                let prediction = StateModel.predict(block: block, from: model)
                let result = try client(block.node).run(
                    NodeRequest.RunRequest(
                        script: block.script, netns: block.netns, stateQueries: StateProbe.queries(prediction.probes)),
                    until: .now + .seconds(60))
                #expect(
                    result.isSuccess,
                    "\(prefix) step \(step.id) on \(block.node): line \(result.failedLine ?? 0): \(result.stderrText)")
                let observed = try ObservedState.parse(
                    result.stateOutputs, node: block.node, rtTables: prediction.after.rtTables)
                let differences = StateComparison.differences(
                    predicted: prediction.after, observed: observed, probes: prediction.probes)
                #expect(
                    differences.isEmpty,
                    "\(prefix) step \(step.id): \(differences.map(\.description).joined(separator: "\n"))")
                models[block.node] = prediction.after
                blocks += 1
            }
        }
        #expect(blocks > 0)
        // Finally every namespace of every node, in full.
        for (node, model) in models {
            let probes = StateProbe.fullDump(namespaces: model.namespaceNames)
            let result = try client(node).run(
                NodeRequest.RunRequest(script: "true", stateQueries: StateProbe.queries(probes)),
                until: .now + .seconds(30))
            let observed = try ObservedState.parse(result.stateOutputs, node: node, rtTables: model.rtTables)
            let differences = StateComparison.differences(predicted: model, observed: observed, probes: probes)
            #expect(
                differences.isEmpty,
                "\(prefix) full dump of \(node): \(differences.map(\.description).joined(separator: "\n"))")
        }
    }
}
