import Foundation
import Logging
import NodeAgentProtocol
import Orchestrator
import PlanModel
import Testing

/// The model against the real kernel: every sequence runs on a node of a real lab (through the agent, as
/// `testbed run` does), and the state the agent dumps after each block must equal the model's prediction.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
final class StateModelIntegrationTests {
    let home = LabTestSupport.makeStateRoot()
    let logger = Logger(label: "state-model-test")

    deinit { try? FileManager.default.removeItem(atPath: home) }

    static let topologyText = """
        name: statemodel
        nodes:
          beta:
            interfaces:
              eth1: {mac: "00:16:3E:EC:A3:E1"}
          gamma:
            interfaces:
              eth1: {mac: "00:16:3E:5B:78:D5"}
        links:
          - endpoints: ["beta:eth1", "gamma:eth1"]
        """

    /// Brings a lab up, runs `body` with an agent on beta, and always takes the lab down.
    func withBeta(_ body: (AgentClient, TopologyNode) throws -> Void) throws {
        let topology = try TopologyLoader.parse(text: Self.topologyText, path: home + "/topology.yaml")
        let summary = try LabBuilder(topology: topology, root: home, logger: logger).up()
        defer { _ = try? LabTeardown(paths: LabPaths(name: topology.name, root: home), logger: logger).down() }
        let pid = try #require(summary.nodes.first { $0.name == "beta" }?.pid)
        let stream = try PipeAgentStream.launch(
            executable: "/usr/bin/nsenter",
            arguments: [
                "--target", "\(pid)", "--net", "--mount", "--uts", "--", "/bin/bash", "-c", AgentScript.launchCommand,
            ])
        let client = AgentClient(stream: stream)
        defer { client.close() }
        _ = try client.hello(until: .now + .seconds(10))
        try body(client, try #require(topology.nodes["beta"]))
    }

    func block(_ text: String, netns: NamespaceName? = nil) -> NodeBlock {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            ScriptLine(String($1), at: InputLocation(file: "sequence", line: $0 + 1))
        }
        return NodeBlock(node: "beta", netns: netns, lines: lines, location: InputLocation(file: "sequence", line: 1))
    }

    /// Runs a block on the node with the predicted probes; returns the result and the differences.
    func runAndCompare(_ client: AgentClient, _ block: NodeBlock, model: NodeState, probes extra: [StateProbe] = [])
        throws -> (NodeResponse.RunResult, BlockPrediction, [StateDifference])
    {
        let prediction = StateModel.predict(block: block, from: model)
        let probes = prediction.probes + extra
        let result = try client.run(
            NodeRequest.RunRequest(script: block.script, netns: block.netns, stateQueries: StateProbe.queries(probes)),
            until: .now + .seconds(30))
        let observed = try ObservedState.parse(result.stateOutputs, node: "beta", rtTables: prediction.after.rtTables)
        return (
            result, prediction,
            StateComparison.differences(predicted: prediction.after, observed: observed, probes: probes)
        )
    }

    @Test("every sequence: the dumped state equals the model's prediction, probe by probe and in a full dump")
    func sequencesMatchTheKernel() throws {
        try withBeta { client, node in
            // Start from the node's real state, as the orchestrator does at connect time.
            let connect = try client.run(
                NodeRequest.RunRequest(
                    script: "true", stateQueries: StateProbe.queries(StateProbe.fullDump(namespaces: []))),
                until: .now + .seconds(10))
            var model = StateModel.from(observed: try ObservedState.parse(connect.stateOutputs, node: "beta"))
            // The fresh-lab model must agree with the real fresh node.
            let fresh = NodeState.freshLabNode(node)
            let freshDifferences = StateComparison.differences(
                predicted: fresh, observed: model, probes: StateProbe.fullDump(namespaces: []))
            #expect(freshDifferences.isEmpty, "fresh lab node: \(freshDifferences.map(\.description))")
            model = fresh

            for (name, netns, text) in StateModelSequences.blocks {
                let (result, prediction, differences) = try runAndCompare(
                    client, block(text, netns: netns), model: model)
                #expect(!prediction.probes.isEmpty, "\(name): no probe")
                #expect(result.stateOutputs.count == prediction.probes.count)
                #expect(
                    result.isSuccess,
                    "\(name): the block failed at line \(result.failedLine ?? 0): \(result.stderrText)")
                #expect(prediction.evaluation.stoppedAt == nil, "\(name): the model predicted a failure")
                #expect(
                    prediction.evaluation.notModelled.isEmpty,
                    "\(name): not modelled: \(prediction.evaluation.notModelled)")
                #expect(differences.isEmpty, "\(name): \(differences.map(\.description).joined(separator: "\n"))")
                model = prediction.after
            }
            // Nothing outside the probes changed either.
            let everything = StateProbe.fullDump(namespaces: model.namespaceNames, sysctls: [])
            let (_, _, all) = try runAndCompare(client, block("true"), model: model, probes: everything)
            #expect(all.isEmpty, "full dump: \(all.map(\.description).joined(separator: "\n"))")
            let sysctls = model.namespaces.values.flatMap { $0.sysctls.keys }
            #expect(!sysctls.isEmpty)

            for (name, text, line) in StateModelSequences.failing {
                let (result, prediction, differences) = try runAndCompare(client, block(text), model: model)
                let predicted = prediction.evaluation.failure.map { $0.command.firstLine }
                #expect(
                    result.failedLine == line,
                    "\(name): the node failed at \(result.failedLine ?? 0): \(result.stderrText)")
                #expect(predicted == line, "\(name): the model stopped at \(predicted ?? 0)")
                if case .failure(let failure)? = prediction.evaluation.failure?.outcome {
                    let firstLine = result.stderrText.split(separator: "\n").first.map(String.init) ?? ""
                    #expect(
                        firstLine.hasPrefix(failure.toolMessage) || failure.toolMessage.hasPrefix(firstLine)
                            || name.contains("sysctl"),
                        "\(name): ip said '\(firstLine)', the model '\(failure.toolMessage)'")
                }
                #expect(differences.isEmpty, "\(name): \(differences.map(\.description).joined(separator: "\n"))")
                model = prediction.after
            }
        }
    }

    @Test("a node that did something else than the plan says: the difference names table, namespace, node, both routes")
    func divergenceIsReported() throws {
        try withBeta { client, node in
            var model = NodeState.freshLabNode(node)
            let setup = """
                (echo; echo "249 ntk_from_00:16:3E:EC:A3:E1 # xxx_table_ntk_from_00:16:3E:EC:A3:E1_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
                ip netns add migr01
                ip link add dev migr01_eth1 link eth1 type macvlan
                ip link set dev migr01_eth1 netns migr01
                ip netns exec migr01 ip link set dev migr01_eth1 up
                ip netns exec migr01 ip address add 169.254.27.218 dev migr01_eth1
                ip netns exec migr01 ip route add 169.254.94.223 dev migr01_eth1 src 169.254.27.218
                ip netns exec migr01 ip route add unreachable 10.0.0.20/31 table ntk_from_00:16:3E:EC:A3:E1
                """
            let (_, prediction, differences) = try runAndCompare(client, block(setup), model: model)
            #expect(differences.isEmpty, "\(differences)")
            model = prediction.after
            // The plan says `change … via`; the node is given a no-op instead.
            let planned = block(
                "ip netns exec migr01 ip route change 10.0.0.20/31 table ntk_from_00:16:3E:EC:A3:E1 via 169.254.94.223 dev migr01_eth1"
            )
            let expected = StateModel.predict(block: planned, from: model)
            let result = try client.run(
                NodeRequest.RunRequest(script: "true", stateQueries: StateProbe.queries(expected.probes)),
                until: .now + .seconds(10))
            let observed = try ObservedState.parse(result.stateOutputs, node: "beta", rtTables: expected.after.rtTables)
            let found = StateComparison.differences(
                predicted: expected.after, observed: observed, probes: expected.probes)
            #expect(expected.probes.map(\.description) == ["routes@migr01"])
            #expect(
                found.map(\.description) == [
                    "table ntk_from_00:16:3E:EC:A3:E1 in migr01 on beta: expected 10.0.0.20/31 via 169.254.94.223 dev migr01_eth1, found unreachable"
                ])
        }
    }
}
