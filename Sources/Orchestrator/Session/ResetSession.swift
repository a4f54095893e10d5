import Foundation
public import Logging
import NodeAgentProtocol
public import PlanModel

/// `testbed reset -t T`: every node back to the state observed at the first connect of the topology's last run
/// (kept as `initial-state.json` in the run's directory). Services the run started are stopped first; then each
/// node gets the commands `ResetPlanner` derives from its current state, and is compared with the kept state
/// again: zero differences, or exactly what could not be restored.
public enum ResetSession {
    /// What reset did on one node.
    public struct NodeOutcome: Sendable {
        public var node: NodeName
        public var commands: Int
        /// Commands that failed (their stderr lines).
        public var failures: [String]
        /// What no command can bring back.
        public var impossible: [String]
        /// The comparison with the kept state afterwards.
        public var differences: [StateDifference]

        public var isRestored: Bool { differences.isEmpty }
    }

    public struct Report: Sendable {
        public var runDirectory: String
        public var nodes: [NodeOutcome]
        public var isRestored: Bool { nodes.allSatisfy(\.isRestored) }
    }

    /// - Throws: `SessionError.noRun`, `LabError`, `FleetError`, `NodeError`, `StateParsingError`.
    public static func reset(_ topology: Topology, root: String = LabPaths.defaultRoot, logger: Logger) async throws
        -> Report
    {
        let (snapshot, directory) = try RunSnapshot.latest(topology: topology.name, stateRoot: root)
        let resolved = try NodeTargets.resolve(topology, bringUp: false, root: root, logger: logger)
        let targets = resolved.targets.filter { snapshot.states[$0.0] != nil }
        let fleet = try await Fleet.connectAll(targets, logger: logger)
        let runID = RunDirectory(path: directory).id
        do {
            let outcomes = try await withThrowingTaskGroup(of: NodeOutcome.self) { group in
                for (name, channel) in fleet.channels {
                    guard let kept = snapshot.states[name] else { continue }
                    group.addTask { try await reset(channel, to: kept, runID: runID) }
                }
                var result: [NodeOutcome] = []
                for try await outcome in group { result.append(outcome) }
                return result
            }
            await fleet.close()
            let order = fleet.order
            return Report(
                runDirectory: directory,
                nodes: outcomes.sorted { (order.firstIndex(of: $0.node) ?? 0) < (order.firstIndex(of: $1.node) ?? 0) })
        } catch {
            await fleet.close()
            throw error
        }
    }

    static func reset(_ channel: any NodeChannel, to kept: NodeState, runID: String) async throws -> NodeOutcome {
        _ = try await channel.run(
            .init(script: ServiceScript.stopLeftovers(run: runID), timeout: .seconds(30), stopAtFirstFailure: false),
            timeout: .seconds(45))
        let current = try await observe(channel, sysctls: kept)
        let plan = ResetPlanner.plan(from: current, to: kept)
        var failures: [String] = []
        if !plan.commands.isEmpty {
            let result = try await channel.run(
                .init(script: plan.commands.joined(separator: "\n"), timeout: .seconds(120), stopAtFirstFailure: false),
                timeout: .seconds(150))
            failures = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        let after = try await observe(channel, sysctls: kept)
        var probes = StateProbe.fullDump(namespaces: Array(Set(kept.namespaceNames + after.namespaceNames)))
        let names = kept.namespace(nil)?.sysctls.keys.sorted() ?? []
        if !names.isEmpty { probes.append(StateProbe(.sysctl(names), namespace: nil)) }
        let differences = StateComparison.differences(predicted: kept, observed: after, probes: probes)
        return NodeOutcome(
            node: channel.name, commands: plan.commands.count, failures: failures, impossible: plan.impossible,
            differences: differences)
    }

    /// The node's whole state, with the values of the kept sysctls.
    static func observe(_ channel: any NodeChannel, sysctls kept: NodeState) async throws -> NodeState {
        var state = try await StateTracker.observe(channel)
        let names = kept.namespace(nil)?.sysctls.keys.sorted() ?? []
        guard !names.isEmpty else { return state }
        let probe = StateProbe(.sysctl(names), namespace: nil)
        let request = NodeRequest.run(
            .init(script: "true", timeout: .seconds(30), stateQueries: StateProbe.queries([probe])))
        let responses = try await channel.send([request], timeout: .seconds(45))
        if case .run(let result)? = responses.first, let output = result.stateOutputs.first {
            let values = try SysctlOutputParser.parse(output.text, query: output.query.description)
            state.namespaces[""]?.sysctls.merge(values) { $1 }
            state.namespaces[""]?.unknown.remove(.sysctls)
        }
        return state
    }
}
