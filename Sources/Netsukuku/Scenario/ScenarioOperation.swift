public import PlanModel

/// One user operation of a scenario, named as the user commands are (domain.md "Command-name vocabulary").
public struct ScenarioOperation: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `init`: system start (OP-1).
        case start([Located<String>])
        /// `add_real_arc` / `arc`: a physical arc between two systems (OP-2, then OP-4 and ETPs).
        case addArc(ArcSpec)
        /// `remove_arc` / `remove_real_arc` (OP-3).
        case removeArc(ArcSpec)
        /// `enter_net`: phase 1 of an entry, zero-step or waiting for migrations (OP-13).
        case enter(EntrySpec)
        /// `enter_net_phase_2`: the entry named here takes its real position.
        case enterPhase2(Located<String>)
        /// `migrate`: a g-node moves inside its network (OP-12).
        case migrate(MigrationSpec)
        /// `remove_outer_arcs`: connectivity identities drop the qspn-arcs outside the g-node they support.
        case removeOuterArcs([IdentityReference])
        /// `dismiss` / `remove_identity` (OP-11).
        case dismiss([IdentityReference])
    }

    public var kind: Kind
    /// The operation's key as written (`add_real_arc`, `arc`, …).
    public var name: String
    public var location: InputLocation

    public init(kind: Kind, name: String, location: InputLocation) {
        self.kind = kind
        self.name = name
        self.location = location
    }
}

/// A physical arc between two systems.
public struct ArcSpec: Sendable, Hashable {
    public var ends: [Located<String>]
    /// The arc cost; equal costs when not given.
    public var cost: Int

    public init(ends: [Located<String>], cost: Int = 1) {
        self.ends = ends
        self.cost = cost
    }
}

/// The g-node an operation moves: systems whose principal identities form it, or its address.
public enum GNodeSelector: Sendable, Hashable {
    case systems([Located<String>])
    case address(Located<GNodeAddress>)
}

/// The new namespace's NIC of one member, when the scenario gives it (else derived from the names).
public struct NICSpec: Sendable, Hashable {
    public var mac: Located<MACAddress>?
    public var linkLocal: Located<IPAddress>?
    public var location: InputLocation

    public init(mac: Located<MACAddress>? = nil, linkLocal: Located<IPAddress>? = nil, location: InputLocation) {
        self.mac = mac
        self.linkLocal = linkLocal
        self.location = location
    }
}

/// `enter_net`: who enters into whose network, where, and how.
public struct EntrySpec: Sendable, Hashable {
    public var id: Located<String>
    public var gnode: GNodeSelector
    /// The network the g-node address is read in (a system whose principal identity is there).
    public var network: Located<String>?
    /// The level of the entering g-node (its connectivity id goes there); from the g-node address if given.
    public var level: Located<Int>?
    /// A system whose principal identity is in the network to enter.
    public var into: Located<String>
    /// The position taken at once, a g-node of the host level (virtual while a migration path runs).
    public var address: Located<GNodeAddress>
    /// The real position: taken at once (zero-step path), or in phase 2 after `waitsFor`.
    public var real: Located<GNodeAddress>?
    /// The migrations of the migration path; phase 2 waits for all of them.
    public var waitsFor: [Located<String>]
    public var namespace: Located<String>
    public var nics: [String: NICSpec]

    public init(
        id: Located<String>, gnode: GNodeSelector, network: Located<String>?, level: Located<Int>?,
        into: Located<String>, address: Located<GNodeAddress>, real: Located<GNodeAddress>?,
        waitsFor: [Located<String>], namespace: Located<String>, nics: [String: NICSpec]
    ) {
        self.id = id
        self.gnode = gnode
        self.network = network
        self.level = level
        self.into = into
        self.address = address
        self.real = real
        self.waitsFor = waitsFor
        self.namespace = namespace
        self.nics = nics
    }
}

/// `migrate`: a g-node of a network takes another position in it, through a virtual one.
public struct MigrationSpec: Sendable, Hashable {
    public var id: Located<String>
    public var gnode: GNodeSelector
    public var network: Located<String>?
    public var level: Located<Int>?
    /// The virtual position taken at once.
    public var address: Located<GNodeAddress>
    /// The real position taken at the end of the migration.
    public var real: Located<GNodeAddress>
    /// Whether the connectivity identities drop their outer qspn-arcs before the address change (as the
    /// script does); otherwise a later `remove_outer_arcs` does it.
    public var removesOuterArcs: Bool
    public var namespace: Located<String>
    public var nics: [String: NICSpec]

    public init(
        id: Located<String>, gnode: GNodeSelector, network: Located<String>?, level: Located<Int>?,
        address: Located<GNodeAddress>, real: Located<GNodeAddress>, removesOuterArcs: Bool,
        namespace: Located<String>, nics: [String: NICSpec]
    ) {
        self.id = id
        self.gnode = gnode
        self.network = network
        self.level = level
        self.address = address
        self.real = real
        self.removesOuterArcs = removesOuterArcs
        self.namespace = namespace
        self.nics = nics
    }
}

/// An identity named by its system and namespace: `beta/migr01`, or `beta` for the principal identity.
public struct IdentityReference: Sendable, Hashable, CustomStringConvertible {
    public var system: String
    public var namespace: String?
    public var location: InputLocation

    public init(system: String, namespace: String?, location: InputLocation) {
        self.system = system
        self.namespace = namespace
        self.location = location
    }

    public var description: String { namespace.map { "\(system)/\($0)" } ?? system }
}
