public import Logging
public import NodeAgentProtocol
public import PlanModel

/// The small use cases that talk to nodes without a plan: one command on one node (`exec`), and every
/// agent's hello (`lab status`). They resolve targets and connect exactly as a run does.
public enum NodeSession {
    /// Runs one script on one node of the topology and returns what it did. The lab must be up.
    /// - Parameters:
    ///   - node: A node name or alias.
    /// - Throws: `SessionError` for an unknown node, `LabError`, `FleetError`, `NodeError`.
    public static func exec(
        _ script: String, on node: String, netns: NamespaceName?, topology: Topology, timeout: Duration,
        transport: Fleet.LabTransport = .ssh, root: String = LabPaths.defaultRoot, logger: Logger
    ) async throws -> NodeResponse.RunResult {
        guard let resolved = topology.node(named: node) else {
            throw SessionError(
                code: .unknownNode, message: "unknown node '\(node)'",
                hint: "nodes of '\(topology.name)': \(topology.nodes.keys.joined(separator: ", "))")
        }
        let targets = try NodeTargets.resolve(
            topology, labTransport: transport, bringUp: false, root: root, logger: logger)
        guard let target = targets.target(of: resolved.name) else {
            throw SessionError(
                code: .unknownNode, message: "node '\(resolved.name)' has no target",
                hint: "give it an ssh section, or use a topology without any (the local lab)")
        }
        let fleet = try await Fleet.connectAll([(resolved.name, target)], logger: logger)
        let request = NodeRequest.RunRequest(script: script, netns: netns, timeout: timeout, stopAtFirstFailure: false)
        let outcome: Result<NodeResponse.RunResult, NodeError>
        do {
            outcome = .success(
                try await fleet.channels.values[fleet.channels.startIndex]
                    .run(request, timeout: timeout + UnitRunner.transportSlack))
        } catch {
            outcome = .failure(error)
        }
        await fleet.close()
        return try outcome.get()
    }

    /// What every node's agent of a running lab says of itself, and the nodes that could not be reached.
    public static func hellos(of summary: LabSummary, root: String = LabPaths.defaultRoot, logger: Logger) async throws
        -> (hellos: [NodeName: NodeResponse.HelloInfo], unreachable: [NodeName: String])
    {
        let targets = try Lab.targets(summary, root: root)
        let (fleet, failures) = await Fleet.connect(targets, timeout: .seconds(10), logger: logger)
        var hellos: [NodeName: NodeResponse.HelloInfo] = [:]
        for (name, connection) in fleet.connections {
            if let hello = await connection.hello { hellos[name] = hello }
        }
        await fleet.close()
        let unreachable = Dictionary(uniqueKeysWithValues: failures.map { ($0.node, $0.description) })
        return (hellos, unreachable)
    }
}
