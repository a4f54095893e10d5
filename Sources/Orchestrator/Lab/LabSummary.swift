public import Foundation
public import PlanModel

/// What a running lab is: written to `lab.json` when `lab up` completes, read by `status`, `run`, `exec`.
public struct LabSummary: Sendable, Hashable, Codable {
    public struct NodeRecord: Sendable, Hashable, Codable {
        public var name: NodeName
        public var pid: Int32
        public var startTime: UInt64
        public var netnsInode: UInt64
        /// True for a node that is no process of this machine (a container of an LXD endpoint elsewhere): only
        /// connecting to it tells whether it runs.
        public var elsewhere: Bool?

        /// True while the recorded process is the one `lab up` started (same PID and start time) and has not ended.
        public var isRunning: Bool {
            elsewhere == true || (ProcFS.startTime(of: pid) == startTime && ProcFS.isAlive(pid))
        }
    }

    public var name: String
    /// Random per `lab up`; holders carry it in their environment as `TESTBED_LAB`.
    public var labID: String
    public var topologyPath: String
    public var topologyHash: String
    public var createdAt: Date
    public var switchPID: Int32
    public var nodes: [NodeRecord]
    /// Seconds `lab up` took.
    public var setupSeconds: Double
    /// For an LXD or QEMU lab: its containers or VMs and how they are reached (nil: a namespace lab).
    public var provider: ProviderLabInfo?

    /// True when every recorded holder process is the same process that `lab up` started.
    public var isAlive: Bool {
        nodes.allSatisfy(\.isRunning)
    }

    static func read(_ paths: LabPaths) -> LabSummary? {
        guard let data = FileManager.default.contents(atPath: paths.summary) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(LabSummary.self, from: data)
    }

    func write(_ paths: LabPaths) throws(LabError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: paths.summary), options: .atomic)
        } catch {
            throw LabError.io("cannot write \(paths.summary)", error)
        }
    }
}

/// How to reach one lab node with SSH: `sshd -i` started inside the node's namespaces by `nsenter`,
/// speaking SSH on its stdin/stdout (OpenSSH's ProxyCommand idea). No daemon, no management network.
public struct LabNodeAccess: Sendable, Hashable {
    public var node: NodeName
    public var pid: Int32
    /// The program and arguments that carry the SSH connection.
    public var proxyCommand: [String]
    public var user: String
    public var identityFile: String
    public var knownHostsFile: String
    public var hostKeyAlias: String

    static func make(node: LabSummary.NodeRecord, paths: LabPaths, tools: HostTools) -> LabNodeAccess {
        LabNodeAccess(
            node: node.name, pid: node.pid,
            proxyCommand: [
                tools.nsenter, "--target", "\(node.pid)", "--net", "--mount", "--uts", "--",
                tools.sshd, "-i", "-e", "-f", paths.sshdConfig, "-h", paths.hostKey(node.name),
            ],
            user: "root", identityFile: paths.clientKey, knownHostsFile: paths.knownHosts,
            hostKeyAlias: paths.hostKeyAlias(node.name))
    }
}
