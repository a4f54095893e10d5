/// The generator's shadow of the network: identities with the addresses the compiler will give them, and
/// the arcs between systems. It picks legal operations (free positions, whole g-nodes, dismissals that keep
/// every g-node connected) without compiling.
struct GeneratorModel {
    struct Identity {
        var system: Int
        var namespace: String?
        var address: NetsukukuAddress
        var network: Int
        var isAlive = true
        var isConnectivity = false
        /// For a connectivity identity: the level of the g-node it supports the position of.
        var connectivityLevel = 0
    }

    let scheme: AddressScheme
    var identities: [Identity] = []
    var arcs: Set<[Int]> = []
    /// The principal identity of each system.
    var principal: [Int] = []
    /// Identity pairs whose identity-arc is gone (outer arcs removed), though their systems share an arc.
    var cuts: Set<[Int]> = []

    init(scheme: AddressScheme) { self.scheme = scheme }

    func hasArc(_ a: Int, _ b: Int) -> Bool { arcs.contains([min(a, b), max(a, b)]) }

    func members(of network: Int) -> [Int] {
        identities.indices.filter { identities[$0].isAlive && identities[$0].network == network }
    }

    func network(of system: Int) -> Int { identities[principal[system]].network }

    /// Whether no identity of `network` lies inside `gnode`.
    func isFree(_ gnode: GNodeAddress, in network: Int) -> Bool {
        !members(of: network).contains { gnode.contains(identities[$0].address) }
    }

    /// The level-`level` g-node of an address (`level` may be the number of levels: the whole network).
    func gnode(_ address: NetsukukuAddress, level: Int) -> GNodeAddress {
        GNodeAddress(level: level, ids: Array(address.ids[level...]))
    }

    /// The free real positions one level below `parent`.
    func freeSlots(inside parent: GNodeAddress, in network: Int) -> [GNodeAddress] {
        let level = parent.level - 1
        return (0..<scheme.gsizes[level]).map { GNodeAddress(level: level, ids: [$0] + parent.ids) }.filter {
            isFree($0, in: network)
        }
    }

    /// The first virtual position one level below `parent` that no identity uses.
    func virtualSlot(inside parent: GNodeAddress, in network: Int) -> GNodeAddress {
        let level = parent.level - 1
        var id = scheme.gsizes[level]
        while !isFree(GNodeAddress(level: level, ids: [id] + parent.ids), in: network) { id += 1 }
        return GNodeAddress(level: level, ids: [id] + parent.ids)
    }

    /// The connectivity id the compiler gives a moving g-node (lowest virtual id unused beside it).
    func connectivityID(for address: NetsukukuAddress, level: Int, network: Int) -> Int {
        var id = scheme.gsizes[level]
        while !isFree(gnode(address.replacing(level: level, with: id), level: level), in: network) { id += 1 }
        return id
    }

    /// Two identities of one network on systems joined by an arc are neighbours (one identity-arc per pair).
    func areNeighbours(_ a: Int, _ b: Int) -> Bool {
        let (x, y) = (identities[a], identities[b])
        return x.network == y.network && x.system != y.system && hasArc(x.system, y.system)
            && !cuts.contains([min(a, b), max(a, b)])
    }

    /// Whether every g-node of the network (every level, real or virtual ids) is connected inside itself:
    /// then every pair of its principal identities can route to each other (check_connectivity in spirit).
    func isWellConnected(_ network: Int, without removed: Set<Int> = [], arcsRemoved: Set<[Int]> = []) -> Bool {
        let ids = members(of: network).filter { !removed.contains($0) }
        for level in 1...scheme.levels {
            let groups = Dictionary(grouping: ids) { Array(identities[$0].address.ids[level...]) }
            for group in groups.values where group.count > 1 {
                var reached: Set<Int> = [group[0]]
                var frontier = [group[0]]
                while let next = frontier.popLast() {
                    for other in group where !reached.contains(other) && areNeighbours(next, other) {
                        let pair = [
                            min(identities[next].system, identities[other].system),
                            max(identities[next].system, identities[other].system),
                        ]
                        guard !arcsRemoved.contains(pair) else { continue }
                        reached.insert(other)
                        frontier.append(other)
                    }
                }
                if reached.count != group.count { return false }
            }
        }
        return true
    }
}
