public import PlanModel

/// Where a lab keeps its files. One directory per lab under the state root, and the journal beside it.
///
/// The root is `/var/lib/testbed` unless `TESTBED_HOME` names another directory. It is not under /run:
/// lab nodes get a private /run, and their sshd must still read the lab's keys.
public struct LabPaths: Sendable, Hashable {
    public let root: String
    public let name: String

    public init(name: String, root: String = LabPaths.defaultRoot) {
        self.root = root
        self.name = name
    }

    public static var defaultRoot: String { ProcessEnvironment.value("TESTBED_HOME") ?? "/var/lib/testbed" }

    public static func labsDirectory(root: String = defaultRoot) -> String { root + "/labs" }

    public var labs: String { Self.labsDirectory(root: root) }
    public var directory: String { "\(labs)/\(name)" }
    public var journal: String { "\(labs)/\(name).journal" }
    /// The file `LabLock` locks; it exists while the journal does.
    public var lock: String { "\(labs)/\(name).lock" }
    public var summary: String { directory + "/lab.json" }
    public var topologyCopy: String { directory + "/topology.yaml" }
    public var sshDirectory: String { directory + "/ssh" }
    public var clientKey: String { sshDirectory + "/id_ed25519" }
    public var authorizedKeys: String { sshDirectory + "/authorized_keys" }
    public var knownHosts: String { sshDirectory + "/known_hosts" }
    public var sshConfig: String { directory + "/ssh_config" }
    public var sshdConfig: String { sshDirectory + "/sshd_config" }
    public var switchDirectory: String { directory + "/switch" }
    public var switchBatch: String { switchDirectory + "/links.ip" }

    public func nodeDirectory(_ node: NodeName) -> String { "\(directory)/nodes/\(node)" }
    public func hostKey(_ node: NodeName) -> String { nodeDirectory(node) + "/ssh_host_ed25519_key" }
    /// The node's own changes to /etc/iproute2 (the upper directory of its overlay).
    public func iproute2(_ node: NodeName) -> String { nodeDirectory(node) + "/iproute2" }
    /// The overlay's work directory, beside the upper one as overlayfs requires.
    public func iproute2Work(_ node: NodeName) -> String { nodeDirectory(node) + "/iproute2.work" }
    public func setupBatch(_ node: NodeName) -> String { nodeDirectory(node) + "/setup.ip" }
    /// The mount table the node's holder mounts with one `mount -a`.
    public func mountTable(_ node: NodeName) -> String { nodeDirectory(node) + "/fstab" }

    /// The directory of a holder's files.
    public func holderDirectory(_ role: HolderRole) -> String {
        switch role {
        case .switch: switchDirectory
        case .node(let node): nodeDirectory(node)
        }
    }

    public func pidFile(role: HolderRole) -> String { holderDirectory(role) + "/pid" }
    public func holderLog(role: HolderRole) -> String { holderDirectory(role) + "/holder.log" }

    /// The name a node's host key is recorded under in known_hosts (OpenSSH's HostKeyAlias).
    public func hostKeyAlias(_ node: NodeName) -> String { "tb-\(name)-\(node)" }
}
