import Netsukuku
import PlanModel

/// Generates the benchmark plan for the netsukuku-poc topology from the operation templates of domain.md §3:
/// system start with the full `ntk` population, arcs, forwarding tables with MAC marks, ETP waves that change
/// routes to `via` next hops (with `src`, blackholes and first-ETP rules), identity namespaces with macvlan,
/// gateway renames of forwarding tables, removals and dismissals — and reach checks after every wave.
///
/// Routes are shortest paths over the documented arcs, and a check only lists an address if forwarding reaches
/// it and back hop by hop in the generated tables, so every check must pass on a correct node.
public struct WorkloadGenerator: Sendable {
    /// ETP waves; each re-applies every route of every system, then pings every other system's global address.
    public var waves: Int
    /// Systems that add, rename and dismiss an extra identity.
    public var identityChurn: Int

    public init(waves: Int = 13, identityChurn: Int = 6) {
        self.waves = waves
        self.identityChurn = identityChurn
    }

    /// The plan as YAML (loadable with `PlanLoader` against topologies/netsukuku-poc/topology.yaml).
    public func yaml() -> String {
        var writer = WorkloadWriter()
        var systems = Dictionary(uniqueKeysWithValues: WorkloadSystem.pointOfConcept.map { ($0.name, $0) })
        let order = WorkloadSystem.pointOfConcept.map(\.name)
        for (a, b) in WorkloadSystem.arcs {
            systems[a]?.neighbours.append(b)
            systems[b]?.neighbours.append(a)
        }
        writer.header(waves: waves)
        for name in order { if let system = systems[name] { writer.start(system) } }
        for (a, b) in WorkloadSystem.arcs { if let sa = systems[a], let sb = systems[b] { writer.arc(sa, sb) } }
        for name in order {
            guard let system = systems[name] else { continue }
            writer.reach(from: name, to: system.neighbours.compactMap { systems[$0]?.linkLocal }, id: "hear-\(name)")
        }
        for (a, b) in WorkloadSystem.arcs {
            for (owner, peer) in [(a, b), (b, a)] {
                guard var system = systems[owner], let neighbour = systems[peer] else { continue }
                let number = system.allocateTable()
                system.tableNumbers[peer] = number
                systems[owner] = system
                writer.forwardingTable(system, for: neighbour, number: number)
            }
        }
        let routing = WorkloadRouting(systems: systems, order: order)
        let simulator = routing.simulator()
        for wave in 1...max(1, waves) {
            for name in order {
                guard let system = systems[name] else { continue }
                writer.etp(system, routing: routing, systems: systems, wave: wave)
            }
            // Global addresses after every wave; every third wave also the internal-L3 ones.
            let kinds: [PrefixKind] = wave % 3 == 1 ? [.global, .internal(level: 3)] : [.global]
            for name in order {
                guard systems[name] != nil else { continue }
                var targets: [IPAddress] = []
                for kind in kinds {
                    for other in order where other != name {
                        guard
                            let target = systems[other].flatMap({ routing.mapping.sourceIP(of: $0.address, for: kind) }
                            ),
                            routing.reaches(from: name, to: target, in: simulator)
                        else { continue }
                        targets.append(target)
                    }
                }
                writer.reach(from: name, to: targets.map(\.description), id: "wave\(wave)-\(name)")
            }
        }
        for identity in WorkloadSystem.identities.prefix(identityChurn) {
            guard let owner = systems[identity.0], let peerName = owner.neighbours.sorted().first,
                var peer = systems[peerName]
            else { continue }
            writer.churn(identity: identity, owner: owner, peer: &peer)
            systems[peerName] = peer
        }
        return writer.text
    }
}
