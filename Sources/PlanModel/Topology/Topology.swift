public import OrderedCollections

/// The systems of an experiment and how their interfaces are wired, as read from a topology file.
public struct Topology: Sendable, Hashable, Codable {
    /// The lab name; also the prefix of everything the local lab creates.
    public var name: String
    /// Nodes in file order (reports, schedules and the lab keep this order).
    public var nodes: OrderedDictionary<NodeName, TopologyNode>
    /// L2 segments. A segment with more than two endpoints is one shared broadcast domain.
    public var segments: [Segment]
    /// The file the topology came from, as given by the user.
    public var sourcePath: String
    /// A fingerprint of the file's bytes, to notice a topology edited while its lab is up.
    public var contentHash: String
    /// Where `lab up` builds the nodes; nil: namespaces on this machine.
    public var provider: LabProvider?

    public init(
        name: String, nodes: OrderedDictionary<NodeName, TopologyNode>, segments: [Segment], sourcePath: String,
        contentHash: String
    ) {
        self.name = name
        self.nodes = nodes
        self.segments = segments
        self.sourcePath = sourcePath
        self.contentHash = contentHash
    }

    /// True when no node names an SSH endpoint: the plan runs on a lab testbed builds (namespaces, LXD or QEMU).
    public var usesLocalLab: Bool { nodes.values.allSatisfy { $0.ssh == nil } }

    /// The lab's provider (namespaces when the topology names none).
    public var labProvider: LabProvider { provider ?? .namespaces }

    /// Resolves a name as the documentation writes it: the node name, or one of its aliases.
    public func node(named name: String) -> TopologyNode? {
        if let key = NodeName(name), let node = nodes[key] { return node }
        return nodes.values.first { $0.aliases.contains(name) }
    }

    /// The segment an interface is attached to, if any.
    public func segment(of node: NodeName, interface: String) -> Segment? {
        segments.first { $0.endpoints.contains(Endpoint(node: node, interface: interface)) }
    }
}

/// One system of the topology.
public struct TopologyNode: Sendable, Hashable, Codable {
    public var name: NodeName
    /// Other names the documentation uses for this system (e.g. `𝛼`).
    public var aliases: [String]
    /// Interfaces in file order.
    public var interfaces: OrderedDictionary<String, TopologyInterface>
    /// How to reach the node over SSH; nil for a node of the local lab.
    public var ssh: SSHSettings?
    /// How the agent gets root when the SSH user is not root (`become: sudo`); nil: the user is root.
    public var become: Become?
    /// The LXD cluster member (1-based) the node is placed on; nil: round-robin (or `memberName`).
    public var member: Int?
    /// On a user's clustered LXD endpoint: the member named as `lxc cluster list` shows it.
    public var memberName: String?
    /// Where `member:` is written, for errors found only when the cluster is asked (`lab up`).
    public var memberLocation: InputLocation?
    /// Where the node is declared.
    public var location: InputLocation

    public init(
        name: NodeName, aliases: [String] = [], interfaces: OrderedDictionary<String, TopologyInterface> = [:],
        ssh: SSHSettings? = nil, location: InputLocation
    ) {
        self.name = name
        self.aliases = aliases
        self.interfaces = interfaces
        self.ssh = ssh
        self.location = location
    }
}

/// A network interface of a node.
public struct TopologyInterface: Sendable, Hashable, Codable {
    public var name: String
    /// The MAC the lab applies; nil lets the kernel choose.
    public var mac: MACAddress?
    /// Addresses documented for this interface.
    public var addresses: [IPPrefix]
    /// Whether the lab adds `addresses` at `lab up`. False when the plan adds them itself
    /// (an `ip address add` of an address already present would fail).
    public var assignAddresses: Bool

    public init(name: String, mac: MACAddress? = nil, addresses: [IPPrefix] = [], assignAddresses: Bool = true) {
        self.name = name
        self.mac = mac
        self.addresses = addresses
        self.assignAddresses = assignAddresses
    }
}

/// `node:interface`, one end of a link.
public struct Endpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var node: NodeName
    public var interface: String

    public init(node: NodeName, interface: String) {
        self.node = node
        self.interface = interface
    }

    public var description: String { "\(node):\(interface)" }
}

/// One L2 broadcast domain joining two or more interfaces.
public struct Segment: Sendable, Hashable, Codable {
    public var name: String
    public var endpoints: [Endpoint]

    public init(name: String, endpoints: [Endpoint]) {
        self.name = name
        self.endpoints = endpoints
    }
}
