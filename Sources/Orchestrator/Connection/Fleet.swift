public import Logging
public import PlanModel

/// The connections of a run: one per node, opened in parallel.
public struct Fleet: Sendable {
    public let connections: [NodeName: NodeConnection]
    /// Node order as in the topology.
    public let order: [NodeName]

    /// Where the nodes' targets came from.
    public enum Origin: Sendable {
        /// The topology's own SSH endpoints.
        case remote
        /// A local lab that was already up.
        case lab(LabSummary)
        /// A local lab this run brought up.
        case labBroughtUp(LabSummary)

        public var labSummary: LabSummary? {
            switch self {
            case .remote: nil
            case .lab(let summary), .labBroughtUp(let summary): summary
            }
        }
    }

    /// How nodes of a local lab are reached.
    public enum LabTransport: String, Sendable, CaseIterable {
        /// Real SSH (libssh2) through `sshd -i` in each node. The default: the same path as for VMs.
        case ssh
        /// The agent entered with `nsenter`, no SSH (to measure what SSH costs).
        case local
    }

    /// Resolves every node's target, bringing the lab up first when the topology is local and it is not up.
    /// - Throws: `LabError` when the lab cannot be brought up or is up with another version of the topology.
    public static func targets(
        for topology: Topology, labTransport: LabTransport = .ssh, bringUp: Bool = true,
        root: String = LabPaths.defaultRoot,
        logger: Logger
    ) throws(LabError) -> (targets: [(NodeName, NodeTarget)], origin: Origin) {
        guard topology.usesLocalLab else {
            let base = topology.sourcePath.split(separator: "/").dropLast().joined(separator: "/")
            let directory = topology.sourcePath.hasPrefix("/") ? "/" + base : (base.isEmpty ? "." : base)
            let targets = topology.nodes.values.compactMap { node in
                node.ssh.map { (node.name, NodeTarget.ssh(settings: $0, node: node.name, baseDirectory: directory)) }
            }
            return (targets, .remote)
        }
        var origin: Origin
        if let summary = Lab.running(name: topology.name, root: root) {
            guard summary.topologyHash == topology.contentHash else {
                throw LabError(
                    .topologyChanged,
                    "lab '\(topology.name)' is up with a different version of its topology (\(summary.topologyPath))",
                    hint: "take it down and up again: testbed lab down --name \(topology.name)")
            }
            origin = .lab(summary)
        } else {
            guard bringUp else {
                throw LabError(
                    .notUp, "lab '\(topology.name)' is not up",
                    hint: "bring it up: testbed lab up -t \(topology.sourcePath)")
            }
            origin = .labBroughtUp(try LabBuilder(topology: topology, root: root, logger: logger).up())
        }
        guard let summary = origin.labSummary else { return ([], origin) }
        let access = try Lab.access(summary, root: root)
        let nsenter = ProcessEnvironment.which("nsenter") ?? "/usr/bin/nsenter"
        let targets = access.map { node in
            (
                node.node,
                labTransport == .ssh ? NodeTarget.ssh(lab: node) : NodeTarget.local(lab: node, nsenter: nsenter)
            )
        }
        return (targets, origin)
    }

    /// Opens every connection in parallel. Returns the fleet and the nodes that failed.
    public static func connect(
        _ targets: [(NodeName, NodeTarget)], timeout: Duration = .seconds(20), logger: Logger
    ) async -> (fleet: Fleet, failures: [NodeError]) {
        let connections = Dictionary(
            uniqueKeysWithValues: targets.map { ($0.0, NodeConnection(name: $0.0, target: $0.1, logger: logger)) })
        let failures = await withTaskGroup(of: NodeError?.self) { group in
            for connection in connections.values {
                group.addTask {
                    do throws(NodeError) {
                        try await connection.connect(timeout: timeout)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var failures: [NodeError] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        let order = targets.map(\.0)
        return (
            Fleet(connections: connections, order: order),
            failures.sorted { (order.firstIndex(of: $0.node) ?? 0) < (order.firstIndex(of: $1.node) ?? 0) }
        )
    }

    /// Closes every connection.
    public func close() async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections.values { group.addTask { await connection.close() } }
        }
    }
}
