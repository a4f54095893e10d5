/// Where a lab's nodes are built: processes in namespaces of this machine (the default), LXD containers or QEMU
/// virtual machines. A provider lab's nodes are reached over SSH like any remote machine.
public struct LabProvider: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// One process per node in namespaces of its own (`lab up` in about 0.1 s).
        case namespaces
        /// One LXD container per node, in a private LXD daemon (or cluster) in namespaces of testbed's own.
        case lxd
        /// One QEMU virtual machine per node (KVM where the host has it, else TCG).
        case qemu
    }

    public var kind: Kind
    /// LXD: how many cluster members (1: a single daemon). Nodes go to members by `member:` or round-robin.
    public var members: Int
    /// LXD and QEMU: the management network's gateway address and prefix (the controller's address as the nodes
    /// see it is in it). Nil: 169.254.201.1/24 for LXD; QEMU's user-mode network is fixed.
    public var managementNetwork: IPPrefix?
    /// QEMU: memory per VM in MiB.
    public var memoryMiB: Int
    /// A prepared image directory (as `Scripts/build-image` prints); nil: build or find it in the cache.
    public var image: String?
    /// LXD: a daemon the user already runs, used as a client; nil: testbed starts a private daemon of its own.
    public var endpoint: LXDEndpoint?

    public init(
        kind: Kind, members: Int = 1, managementNetwork: IPPrefix? = nil, memoryMiB: Int = 512, image: String? = nil,
        endpoint: LXDEndpoint? = nil
    ) {
        self.kind = kind
        self.members = members
        self.managementNetwork = managementNetwork
        self.memoryMiB = memoryMiB
        self.image = image
        self.endpoint = endpoint
    }

    /// The default: namespaces on this machine.
    public static let namespaces = LabProvider(kind: .namespaces)
}
