public import OrderedCollections

/// What the model knows of one system: its `rt_tables` file, its network namespaces and their state.
public struct NodeState: Sendable, Hashable, Codable {
    public var node: NodeName
    public var rtTables: RTTablesFile
    /// The default namespace under the key "" (never a valid name), then named ones in creation order.
    public var namespaces: OrderedDictionary<String, NamespaceState>
    /// Node-wide parts the model cannot predict any more.
    public var unknown: Set<NodeAspect>
    /// The next `Link.id` to hand out.
    public var nextLinkID: Int

    public init(
        node: NodeName, rtTables: RTTablesFile = .debianDefault, namespaces: OrderedDictionary<String, NamespaceState>,
        unknown: Set<NodeAspect> = [], nextLinkID: Int? = nil
    ) {
        self.node = node
        self.rtTables = rtTables
        self.namespaces = namespaces
        self.unknown = unknown
        self.nextLinkID = nextLinkID ?? (namespaces.values.flatMap(\.links).map(\.id).max() ?? 0) + 1
    }

    static func key(_ name: String?) -> String { name ?? "" }

    /// The namespace with this name (nil: the default one).
    public func namespace(_ name: String?) -> NamespaceState? { namespaces[Self.key(name)] }

    /// The names of the named namespaces (`ip netns list`), in creation order.
    public var namedNamespaces: [String] { namespaces.keys.filter { !$0.isEmpty } }

    /// The named namespaces as names requests take. Names `ip netns add` would refuse (which a placeholder for
    /// `ip -n NAME` may carry once the namespace list is unknown) are left out.
    public var namespaceNames: [NamespaceName] { namedNamespaces.compactMap(NamespaceName.init) }

    /// Whether the whole node is beyond prediction (every part unknown).
    public var isEntirelyUnknown: Bool {
        unknown.count == NodeAspect.allCases.count
            && namespaces.values.allSatisfy { $0.unknown.count == StateAspect.allCases.count }
    }

    /// Marks everything unknown: after a command that could have done anything on the node.
    public mutating func forgetEverything() {
        unknown = Set(NodeAspect.allCases)
        for key in namespaces.keys { namespaces[key]?.unknown = Set(StateAspect.allCases) }
    }

    /// The state of a node of the local lab right after `testbed lab up`: `lo` up with 127.0.0.1/8, every
    /// topology interface up with its MAC (when the topology gives one) and, when the lab assigns them, its
    /// addresses; the host's `rt_tables` (Debian's default unless given).
    public static func freshLabNode(_ node: TopologyNode, rtTables: RTTablesFile = .debianDefault) -> NodeState {
        var namespace = NamespaceState(name: nil)
        var id = 1
        namespace.links.append(Link(id: id, name: "lo", kind: .loopback, mac: MACAddress("00:00:00:00:00:00")))
        for interface in node.interfaces.values {
            id += 1
            namespace.links.append(Link(id: id, name: interface.name, kind: .ethernet, mac: interface.mac))
        }
        var state = NodeState(node: node.name, rtTables: rtTables, namespaces: ["": namespace], nextLinkID: id + 1)
        state.apply(kernel: "", { $0.setLink("lo", up: true) })
        for interface in node.interfaces.values {
            state.apply(kernel: "", { $0.setLink(interface.name, up: true) })
            if interface.assignAddresses {
                for address in interface.addresses {
                    state.apply(kernel: "") { namespace in
                        _ = namespace.addAddress(
                            InterfaceAddress(address: address.address, prefixLength: address.length), to: interface.name
                        )
                    }
                }
            }
        }
        return state
    }

    /// The state of a new, empty network namespace (`ip netns add`): `lo` down, no address, default rules.
    mutating func makeNamespace(_ name: String) {
        let id = nextLinkID
        nextLinkID += 1
        var namespace = NamespaceState(name: name)
        namespace.links = [Link(id: id, name: "lo", kind: .loopback, mac: MACAddress("00:00:00:00:00:00"))]
        namespaces[name] = namespace
    }

    mutating func apply(kernel key: String, _ body: (inout NamespaceState) -> Void) {
        guard var namespace = namespaces[key] else { return }
        body(&namespace)
        namespaces[key] = namespace
    }

    /// Where a link with this id lives.
    func location(ofLink id: Int) -> (namespace: String, index: Int)? {
        for (key, namespace) in namespaces {
            if let index = namespace.links.firstIndex(where: { $0.id == id }) { return (key, index) }
        }
        return nil
    }
}
