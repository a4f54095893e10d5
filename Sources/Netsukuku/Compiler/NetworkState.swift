import OrderedCollections
import PlanModel

/// What an identity knows of the network: every identity's address and whether it takes part, and the
/// qspn-arcs, as they were when it last processed an ETP. A gateway update (OP-7) rewrites routes from this
/// knowledge, which may be stale (seed 001: γ still routes 2·1·1·1 via the moved β).
struct WorldView: Sendable, Hashable {
    var addresses: [NetsukukuAddress?]
    var networks: [Int]
    var isActive: [Bool]
    var arcs: [IdentityArc]

    /// The address of an identity the view knows (nil for one made after it, or dead then).
    func address(of id: Int) -> NetsukukuAddress? { id < addresses.count ? addresses[id] : nil }

    func isActive(_ id: Int) -> Bool { id < isActive.count && isActive[id] }
}

/// The whole network state the compiler keeps between operations.
struct NetworkState: Sendable {
    var systems: OrderedDictionary<String, SystemState> = [:]
    var identities: [IdentityState] = []
    var arcs: [IdentityArc] = []
    var physicalArcs: [PhysicalArc] = []
    /// Network names, by network id (a network is named after the system that started it).
    var networkNames: [String] = []
    var nextGroup = 0

    /// The current state as an identity that just processed an ETP knows it.
    func snapshot() -> WorldView {
        WorldView(
            addresses: identities.map { $0.isAlive ? $0.address : nil }, networks: identities.map(\.network),
            isActive: identities.map { $0.isAlive && !$0.isBootstrap && !$0.isWaiting },
            arcs: arcs.filter { $0.isAlive && $0.isQspn })
    }

    /// Alive identities of a system: the principal first, then the others in creation order.
    func identities(of system: String) -> [Int] {
        let alive = identities.filter { $0.system == system && $0.isAlive }
        return (alive.filter(\.isPrincipal) + alive.filter { !$0.isPrincipal }).map(\.id)
    }

    func principal(of system: String) -> Int? {
        identities.first { $0.system == system && $0.isAlive && $0.isPrincipal }?.id
    }

    func identity(system: String, namespace: String?) -> Int? {
        identities.first { $0.system == system && $0.namespace == namespace && $0.isAlive }?.id
    }

    /// Alive identity-arcs of an identity (indices into `arcs`), in creation order.
    func arcIndices(of identity: Int) -> [Int] {
        arcs.indices.filter { arcs[$0].isAlive && arcs[$0].ends.contains(identity) }
    }

    func arcIndex(_ a: Int, _ b: Int) -> Int? {
        // The same as comparing the ends as sets, without building two sets per arc.
        arcs.indices.first { index in
            let ends = arcs[index].ends
            return arcs[index].isAlive && ends.allSatisfy { $0 == a || $0 == b } && ends.contains(a) && ends.contains(b)
        }
    }

    /// Qspn-arc peers of an identity, in arc creation order.
    func qspnPeers(of identity: Int) -> [Int] {
        arcIndices(of: identity).filter { arcs[$0].isQspn }.compactMap { arcs[$0].peer(of: identity) }
    }

    /// Identity-arc peers ordered as the pages list them: by system in topology order, a system's principal
    /// identity first, then its others in creation order (seed 001, migr01).
    func orderedPeers(of identity: Int) -> [Int] {
        sortedBySystem(arcIndices(of: identity).compactMap { arcs[$0].peer(of: identity) })
    }

    /// Whether any identity of `system` uses a forwarding table named `name` (else its `rt_tables` line goes).
    func isTableNameUsed(_ name: String, in system: String) -> Bool {
        identities.contains { $0.system == system && $0.isAlive && $0.tables.contains { $0.name == name } }
    }

    /// Alive identities of a network whose address lies in `gnode`.
    func members(of gnode: GNodeAddress, network: Int) -> [Int] {
        identities.filter { $0.isAlive && $0.network == network && gnode.contains($0.address) }.map(\.id)
    }

    /// Identities by system in topology order, a system's principal identity first, then by creation (each
    /// once).
    func sortedBySystem(_ ids: [Int]) -> [Int] {
        // Each identity's key once, not at every comparison (a system's order is a dictionary look-up).
        let keyed = Set(ids).map { id in
            let identity = identities[id]
            return (order: systems[identity.system]?.order ?? 0, principal: identity.isPrincipal, id: id)
        }
        return keyed.sorted {
            if $0.order != $1.order { return $0.order < $1.order }
            if $0.principal != $1.principal { return $0.principal }
            return $0.id < $1.id
        }.map(\.id)
    }
}
