public import Logging
public import PlanModel

/// The connections of a run: one per node, opened in parallel.
public struct Fleet: Sendable {
    public let connections: [NodeName: NodeConnection]
    /// Node order as in the topology.
    public let order: [NodeName]

    /// How nodes of a local lab are reached.
    public enum LabTransport: String, Sendable, CaseIterable {
        /// Real SSH (libssh2) through `sshd -i` in each node. The default: the same path as for VMs.
        case ssh
        /// The agent entered with `nsenter`, no SSH (to measure what SSH costs).
        case local
    }

    /// The connections as channels, for the engine.
    public var channels: [NodeName: any NodeChannel] { connections.mapValues { $0 } }

    /// Opens every connection in parallel, at most `window` at once. Returns the fleet and the nodes that failed,
    /// in topology order.
    public static func connect(
        _ targets: [(NodeName, NodeTarget)], timeout: Duration = .seconds(20),
        window: Int = BoundedConcurrency.connectWindow, logger: Logger
    ) async -> (fleet: Fleet, failures: [NodeError]) {
        let connections = Dictionary(
            uniqueKeysWithValues: targets.map { ($0.0, NodeConnection(name: $0.0, target: $0.1, logger: logger)) })
        let attempts = await BoundedConcurrency.map(targets.map(\.0), limit: window) { name -> NodeError? in
            guard let connection = connections[name] else { return nil }
            do throws(NodeError) {
                try await connection.connect(timeout: timeout)
                return nil
            } catch {
                return error
            }
        }
        let failures = attempts.compactMap { $0 }
        let order = targets.map(\.0)
        return (
            Fleet(connections: connections, order: order),
            failures
        )
    }

    /// Opens every connection; when any fails, closes the others and throws every failure.
    /// - Throws: `FleetError`.
    public static func connectAll(
        _ targets: [(NodeName, NodeTarget)], timeout: Duration = .seconds(20), logger: Logger
    ) async throws(FleetError) -> Fleet {
        let (fleet, failures) = await connect(targets, timeout: timeout, logger: logger)
        guard failures.isEmpty else {
            await fleet.close()
            throw FleetError(failures: failures)
        }
        return fleet
    }

    /// Closes every connection.
    public func close() async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections.values { group.addTask { await connection.close() } }
        }
    }
}

/// Some nodes could not be connected to: every one of them, in topology order.
public struct FleetError: DiagnosticConvertible, Sendable {
    public var failures: [NodeError]

    public var diagnostics: [Diagnostic] { failures.flatMap(\.diagnostics) }
}
