import Foundation
public import Logging
public import PlanModel

/// Where each node of a topology is reached: its SSH endpoint, or its node of the local lab.
public struct NodeTargets: Sendable {
    /// Where the targets came from.
    public enum Origin: Sendable {
        /// The topology's own SSH endpoints.
        case remote
        /// A local lab that was already up.
        case lab(LabSummary)
        /// A local lab this call brought up, in `seconds`.
        case labBroughtUp(LabSummary, seconds: Double)

        public var labSummary: LabSummary? {
            switch self {
            case .remote: nil
            case .lab(let summary), .labBroughtUp(let summary, _): summary
            }
        }
    }

    public var targets: [(NodeName, NodeTarget)]
    public var origin: Origin
    /// Lines for the person running it: ssh_config directives testbed does not act on.
    public var notices: [String] = []

    /// Resolves every node's target. A local topology uses its lab, brought up first when `bringUp` allows
    /// (taken down first when `fresh`), all under the lab's lock, so two runs never build one lab twice.
    /// - Throws: `LabError` when the lab is not up (and may not be brought up), cannot be brought up, or is up
    ///   with another version of the topology; `InputErrors` or `SessionError` for a node's ssh_config.
    public static func resolve(
        _ topology: Topology, labTransport: Fleet.LabTransport = .ssh, bringUp: Bool = true, fresh: Bool = false,
        root: String = LabPaths.defaultRoot, logger: Logger
    ) throws -> NodeTargets {
        guard topology.usesLocalLab else {
            let (targets, notices) = try remote(topology)
            return NodeTargets(targets: targets, origin: .remote, notices: notices)
        }
        let origin: Origin
        if !bringUp {
            guard let summary = Lab.running(name: topology.name, root: root) else {
                if let gone = Lab.nodesGone(name: topology.name, root: root) {
                    throw LabError.nodesGone(lab: topology.name, gone: gone, topologyPath: topology.sourcePath)
                }
                throw LabError(
                    .notUp, "lab '\(topology.name)' is not up",
                    hint: "bring it up: testbed lab up -t \(topology.sourcePath)")
            }
            guard summary.topologyHash == topology.contentHash else {
                throw LabError(
                    .topologyChanged,
                    "lab '\(topology.name)' is up with a different version of its topology (\(summary.topologyPath))",
                    hint: "take it down and up again: testbed lab down --name \(topology.name)")
            }
            origin = .lab(summary)
        } else {
            let start = ContinuousClock.now
            let (summary, broughtUp) = try Lab.bringUp(topology, fresh: fresh, root: root, logger: logger)
            origin = broughtUp ? .labBroughtUp(summary, seconds: start.secondsSince) : .lab(summary)
        }
        guard let summary = origin.labSummary else { return NodeTargets(targets: [], origin: origin) }
        if let targets = Lab.providerTargets(summary, root: root) {
            return NodeTargets(targets: targets, origin: origin)
        }
        let access = try Lab.access(summary, root: root)
        let nsenter = ProcessEnvironment.which("nsenter") ?? "/usr/bin/nsenter"
        let targets = access.map { node in
            (
                node.node,
                labTransport == .ssh ? NodeTarget.ssh(lab: node) : NodeTarget.local(lab: node, nsenter: nsenter)
            )
        }
        return NodeTargets(targets: targets, origin: origin)
    }

    /// Remote machines and provider labs get a preflight and a management-path check; a namespace lab does not.
    public var isReachedOverNetwork: Bool {
        switch origin {
        case .remote: true
        case .lab(let summary), .labBroughtUp(let summary, _): summary.provider != nil
        }
    }

    /// The target of one node.
    public func target(of node: NodeName) -> NodeTarget? { targets.first { $0.0 == node }?.1 }
}
