import PlanModel

/// The NIC an identity uses: `eth1` in the default namespace, `<NS>_eth1` (a macvlan) in its own.
struct NIC: Sendable, Hashable {
    var device: String
    var mac: MACAddress
    var linkLocal: IPAddress
}

/// A forwarding table `ntk_from_<MAC>` of an identity, for packets from one qspn-arc peer.
struct ForwardingTableState: Sendable, Hashable {
    /// The peer identity whose packets the table serves.
    var peer: Int
    /// The peer's NIC MAC the table is named after.
    var mac: MACAddress
    /// The `rt_tables` number, also the iptables mark.
    var number: Int
    /// Whether `ip rule add fwmark` is in place (added at the first ETP over the arc).
    var hasRule: Bool
    /// Whether the peer's address is known to this table: blackholes and the max distinct g-node need it.
    /// A table renamed by a gateway update (OP-7) forgets it until the next ETP.
    var isAddressKnown: Bool
    var routes: [IPPrefix: RouteChoice]

    var name: String { "ntk_from_\(mac)" }
}

/// One Netsukuku identity: a node of one network, living in one namespace of one system.
struct IdentityState: Sendable, Hashable {
    let id: Int
    var system: String
    /// Nil for the default namespace, where the principal identity lives.
    var namespace: String?
    var nic: NIC
    var address: NetsukukuAddress
    var network: Int
    /// Connectivity identities list no destination inside their connectivity g-node: below this level.
    var lowestLevel: Int
    /// A gateway's subnet level (destinations stop there).
    var subnetLevel: Int
    var isAlive = true
    /// No ETP from outside its group yet: others do not route through it.
    var isBootstrap: Bool
    /// A phase-1 entry waiting for its migration path: it processes no ETP until phase 2.
    var isWaiting = false
    /// The identities created by one operation (an entering or migrating g-node) know each other.
    var group: Int?
    /// Table `ntk` (default namespace only).
    var ntk: [IPPrefix: RouteChoice]?
    /// Forwarding tables by peer identity, in creation order.
    var tables: [ForwardingTableState] = []
    /// Own IPs assigned to the NIC (principal identity only), in the order they were added.
    var ownAddresses: [OwnAddress] = []
    /// The anonymiser's SNAT source, when its rule is in place.
    var snat: IPAddress?
    /// A gateway's NETMAP rules in place.
    var netmap: [NATRule] = []
    /// What the identity knew at its last ETP; nil before its first.
    var view: WorldView?
    /// The step of the identity's latest block (for cross-system ordering).
    var lastPhase: Int?

    var isPrincipal: Bool { namespace == nil }

    func table(for peer: Int) -> ForwardingTableState? { tables.first { $0.peer == peer } }

    func tableIndex(for peer: Int) -> Int? { tables.firstIndex { $0.peer == peer } }

    /// `<system>` or `<system>/<namespace>`.
    var label: String { namespace.map { "\(system)/\($0)" } ?? system }
}

/// An identity-arc between two identities of different systems over a physical arc; a qspn-arc when both
/// are in the same network and `add_qspn_arc` made it one.
struct IdentityArc: Sendable, Hashable {
    var ends: [Int]
    var cost: Int
    var isQspn: Bool
    /// A new identity's arc to a peer of its network: a qspn-arc once `add_qspn_arc` made the tables.
    var awaitsQspn = false
    /// The ends that have received an ETP over the arc.
    var heardBy: Set<Int> = []
    var isAlive = true

    func peer(of identity: Int) -> Int? {
        guard ends.contains(identity) else { return nil }
        return ends[0] == identity ? ends[1] : ends[0]
    }
}
