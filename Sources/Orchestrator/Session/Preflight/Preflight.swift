public import Logging
import NodeAgentProtocol
public import PlanModel

/// Before a run on remote or provider nodes, and as `testbed preflight`: every node reachable with its host key
/// as known, the programs plans need, root (or sudo) working, the topology's interfaces with their MACs, a writable
/// rt_tables, and the kernel features the plan uses. Every problem of every node is reported at once.
public enum Preflight {
    /// Connects to every node and checks it; returns the connections when nothing is wrong.
    /// - Throws: `PreflightError` with every problem (connections closed); its category decides the exit code.
    public static func connect(
        _ targets: [(NodeName, NodeTarget)], topology: Topology, plan: Plan?, logger: Logger
    ) async throws(PreflightError) -> Fleet {
        let (fleet, failures) = await Fleet.connect(targets, logger: logger)
        var diagnostics = failures.flatMap(\.diagnostics)
        await stopLeftoverServices(fleet, logger: logger)
        diagnostics += await check(fleet, topology: topology, plan: plan, skipping: Set(failures.map(\.node)))
        guard diagnostics.isEmpty else {
            await fleet.close()
            throw PreflightError(diagnostics: diagnostics)
        }
        return fleet
    }

    /// The problems of every connected node (but those in `skipping`, which could not be connected), in topology
    /// order.
    public static func check(_ fleet: Fleet, topology: Topology, plan: Plan?, skipping: Set<NodeName> = [])
        async -> [Diagnostic]
    {
        let features = PreflightProbe.Features.of(plan)
        let channels = fleet.channels
        let results = await withTaskGroup(of: (NodeName, [Diagnostic]).self) { group in
            for (name, channel) in channels where !skipping.contains(name) {
                guard let node = topology.nodes[name] else { continue }
                group.addTask {
                    let subject = "node '\(name)' (\(channel.address))"
                    let request = NodeRequest.RunRequest(
                        script: PreflightProbe.script(for: node, features: features), timeout: .seconds(30),
                        stopAtFirstFailure: false)
                    do throws(NodeError) {
                        let result = try await channel.run(request, timeout: .seconds(45))
                        let text = String(decoding: result.stdout, as: UTF8.self)
                        return (name, PreflightProbe.findings(text, node: node, subject: subject))
                    } catch {
                        return (name, error.diagnostics)
                    }
                }
            }
            var collected: [NodeName: [Diagnostic]] = [:]
            for await (name, diagnostics) in group { collected[name] = diagnostics }
            return collected
        }
        return fleet.order.flatMap { results[$0] ?? [] }
    }
}

extension Preflight {
    /// Stops what services of earlier runs left running on the nodes (an orchestrator that crashed could not stop
    /// them), by their recorded PIDs, and says so; a node that cannot be asked is left to the checks.
    static func stopLeftoverServices(_ fleet: Fleet, logger: Logger) async {
        let request = NodeRequest.RunRequest(
            script: ServiceScript.stopLeftovers(run: nil), timeout: .seconds(30), stopAtFirstFailure: false)
        for (name, channel) in fleet.channels {
            guard let result = try? await channel.run(request, timeout: .seconds(45)) else { continue }
            for line in result.stdoutText.split(separator: "\n") where line.hasPrefix("stopped ") {
                logger.notice(
                    "\(name): \(line) (a service an earlier run left running)", metadata: ["node": "\(name)"])
            }
        }
    }
}

/// What preflight found: every problem of every node.
public struct PreflightError: DiagnosticConvertible, Sendable {
    public var diagnostics: [Diagnostic]
}

/// The plan would cut testbed's SSH path to some nodes: every such command, located.
public struct ManagementPathError: DiagnosticConvertible, Sendable {
    public var diagnostics: [Diagnostic]
}
