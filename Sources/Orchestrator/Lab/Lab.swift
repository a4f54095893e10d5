public import Foundation
public import Logging
public import PlanModel

/// Entry points for labs as a whole: find the running ones, report on them, take them all down.
public enum Lab {
    /// Names of every lab with a journal or a lock file under the state root (a lock file without a journal is
    /// left by a `lab up` killed before it wrote its first record, or belongs to one running now).
    public static func names(root: String = LabPaths.defaultRoot) -> [String] {
        let directory = LabPaths.labsDirectory(root: root)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let names = entries.compactMap { entry in
            [".journal", ".lock"].first(where: entry.hasSuffix).map { String(entry.dropLast($0.count)) }
        }
        return Set(names).sorted()
    }

    /// The summary of a lab whose processes are all alive, or nil.
    public static func running(name: String, root: String = LabPaths.defaultRoot) -> LabSummary? {
        guard let summary = LabSummary.read(LabPaths(name: name, root: root)), summary.isAlive else { return nil }
        return summary
    }

    /// The nodes of a lab that was up whose recorded process is gone (nil when there is no lab, or none is).
    static func nodesGone(name: String, root: String = LabPaths.defaultRoot) -> [(name: NodeName, pid: Int32)]? {
        guard let summary = LabSummary.read(LabPaths(name: name, root: root)) else { return nil }
        let gone = summary.nodes.filter { !$0.isRunning }.map { (name: $0.name, pid: $0.pid) }
        return gone.isEmpty ? nil : gone
    }

    /// How to reach each node of a running lab.
    /// - Throws: `LabError.missingProgram` when nsenter or sshd have gone missing since `lab up`.
    public static func access(_ summary: LabSummary, root: String = LabPaths.defaultRoot) throws(LabError)
        -> [LabNodeAccess]
    {
        let tools = try HostTools.locate()
        let paths = LabPaths(name: summary.name, root: root)
        return summary.nodes.map { LabNodeAccess.make(node: $0, paths: paths, tools: tools) }
    }

    /// The state of every lab (or one), for `lab status`.
    public static func status(name: String? = nil, root: String = LabPaths.defaultRoot) -> [LabStatus] {
        (name.map { [$0] } ?? names(root: root)).compactMap { name in
            let paths = LabPaths(name: name, root: root)
            guard FileManager.default.fileExists(atPath: paths.journal) else { return nil }
            guard let summary = LabSummary.read(paths) else {
                return LabStatus(name: name, state: .incomplete, directory: paths.directory)
            }
            let nodes = summary.nodes.map { node in
                let placed = summary.provider?.nodes.first { $0.name == node.name }
                return LabStatus.Node(
                    name: node.name, pid: node.pid, isAlive: node.isRunning, member: placed?.member,
                    memberName: placed?.memberName, instance: placed?.instance,
                    address: placed.map { "\($0.address):\($0.port) in \($0.networkNamespace)" })
            }
            let alive = nodes.filter(\.isAlive).count
            return LabStatus(
                name: name, state: alive == nodes.count ? .up : alive == 0 ? .stale : .degraded,
                directory: paths.directory, topologyPath: summary.topologyPath, createdAt: summary.createdAt,
                sshConfig: paths.sshConfig, nodes: nodes, provider: summary.provider?.kind.rawValue,
                accelerator: summary.provider?.accelerator,
                placement: summary.provider?.kind == .lxd ? summary.provider?.placement : nil)
        }
    }

    /// Takes every lab down, each under its lock. Returns the names of those that had a journal.
    public static func downAll(root: String = LabPaths.defaultRoot, logger: Logger) throws(LabError) -> [String] {
        var taken: [String] = []
        for name in names(root: root) {
            let outcome = try LabTeardown(paths: LabPaths(name: name, root: root), logger: logger).down()
            if outcome.wasUp { taken.append(name) }
        }
        return taken
    }
}

/// What `lab status` reports for one lab.
public struct LabStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        /// Every node is running.
        case up
        /// Some nodes' processes are gone.
        case degraded
        /// No node is running (e.g. after a reboot); `lab down` clears the files.
        case stale
        /// `lab up` did not finish (it was killed or is still running).
        case incomplete
    }

    public struct Node: Sendable, Hashable, Codable {
        public var name: NodeName
        public var pid: Int32
        public var isAlive: Bool
        /// Provider labs: the LXD member or VM number, the container or VM, the management address.
        public var member: Int?
        /// On a user's LXD cluster: the member's name.
        public var memberName: String?
        public var instance: String?
        public var address: String?
    }

    public var name: String
    public var state: State
    public var directory: String
    public var topologyPath: String?
    public var createdAt: Date?
    public var sshConfig: String?
    public var nodes: [Node] = []
    /// `lxd` or `qemu` for a provider lab; nil for a namespace lab.
    public var provider: String?
    /// QEMU: `kvm` or `tcg`.
    public var accelerator: String?
    /// LXD: which nodes are on which member (`m1: alfa, gamma; m2: beta`).
    public var placement: String?
}
