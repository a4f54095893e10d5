import PlanModel

/// What an entry or a migration did when it copied the identities of a g-node: the old identities moved
/// into a new namespace with connectivity addresses, the new ones kept the old namespaces.
struct Duplication {
    /// The moving (old) identities, and the new identity that took each one's old namespace.
    var old: [Int]
    var new: [Int]
    var namespace: String
    /// The level of the g-node: its connectivity id goes there.
    var level: Int
    var isMigration: Bool
    /// D(old address) of each old identity, before the move.
    var oldDestinations: [[Destination]]
    /// Each old identity's forwarding tables for peers outside the g-node, before the move.
    var externalTables: [[ForwardingTableState]]
    var oldNamespaces: [String?]
}

extension CompilerRun {
    /// The lowest virtual id at `level` that no identity of the network uses beside `address`'s g-node.
    func connectivityID(for address: NetsukukuAddress, level: Int, network: Int) -> Int {
        var id = scenario.scheme.gsizes[level]
        while state.identities.contains(where: {
            $0.isAlive && $0.network == network
                && address.replacing(level: level, with: id).gnode(level: level)
                    .contains($0.address)
        }) { id += 1 }
        return id
    }

    /// Copies the identities of a g-node (OP-5 state change): every old identity moves to `namespace` with a
    /// new NIC and its connectivity address; a new identity in `network` takes its old namespace, NIC, own
    /// IPs and `ntk`, at `addresses[i]`. Identity-arcs are duplicated: to outside peers both identities keep
    /// one, inside the g-node old pairs with old and new with new (keeping what they heard).
    mutating func duplicate(
        _ members: [Int], namespace: String, level: Int, addresses: [NetsukukuAddress], network: Int,
        nics: [String: NICSpec], isMigration: Bool
    ) -> Duplication {
        let oldNetwork = state.identities[members[0]].network
        let virtual = connectivityID(for: state.identities[members[0]].address, level: level, network: oldNetwork)
        let group = state.nextGroup
        state.nextGroup += 2
        var record = Duplication(
            old: members, new: [], namespace: namespace, level: level, isMigration: isMigration, oldDestinations: [],
            externalTables: [], oldNamespaces: [])
        let memberSet = Set(members)
        for (index, id) in members.enumerated() {
            let x = state.identities[id]
            record.oldDestinations.append(state.destinations(of: id, mapping: mapping))
            record.oldNamespaces.append(x.namespace)
            let newID = state.identities.count
            var y = IdentityState(
                id: newID, system: x.system, namespace: x.namespace, nic: x.nic, address: addresses[index],
                network: network, lowestLevel: x.lowestLevel, subnetLevel: x.subnetLevel, isBootstrap: true)
            y.group = group
            (y.ntk, y.ownAddresses, y.snat, y.netmap) = (x.ntk, x.ownAddresses, x.snat, x.netmap)
            state.identities.append(y)
            record.new.append(newID)
            let nic = newNIC(system: x.system, namespace: namespace, spec: nics[x.system])
            state.identities[id].namespace = namespace
            state.identities[id].nic = nic
            state.identities[id].address = x.address.replacing(level: level, with: virtual)
            state.identities[id].lowestLevel = level
            state.identities[id].group = group + 1
            state.identities[id].ntk = nil
            state.identities[id].ownAddresses = []
            state.identities[id].snat = nil
            state.identities[id].netmap = []
            record.externalTables.append(x.tables.filter { !memberSet.contains($0.peer) })
        }
        let newOf = Dictionary(uniqueKeysWithValues: zip(members, record.new))
        for (index, id) in members.enumerated() {
            let tables = state.identities[id].tables
            var kept: [ForwardingTableState] = []
            for table in tables {
                if let mate = newOf[table.peer] {
                    var inherited = table
                    inherited.peer = mate
                    state.identities[record.new[index]].tables.append(inherited)
                } else {
                    kept.append(table)
                    if isMigration { state.identities[record.new[index]].tables.append(table) }
                }
            }
            state.identities[id].tables = kept
        }
        duplicateArcs(members: members, newOf: newOf)
        return record
    }

    private mutating func duplicateArcs(members: [Int], newOf: [Int: Int]) {
        let existing = state.arcs.indices.filter { state.arcs[$0].isAlive }
        for index in existing {
            let arc = state.arcs[index]
            let inside = arc.ends.filter { newOf[$0] != nil }
            if inside.count == 2 {
                guard let a = newOf[arc.ends[0]], let b = newOf[arc.ends[1]] else { continue }
                var copy = IdentityArc(ends: [a, b], cost: arc.cost, isQspn: arc.isQspn)
                copy.heardBy = Set(arc.heardBy.compactMap { newOf[$0] })
                state.arcs.append(copy)
            } else if let x = inside.first, let peer = arc.peer(of: x), let y = newOf[x] {
                var copy = IdentityArc(ends: [y, peer], cost: arc.cost, isQspn: false)
                copy.awaitsQspn = state.identities[y].network == state.identities[peer].network
                state.arcs.append(copy)
            }
        }
    }

    /// OP-5 on the members (their namespace with its macvlan and a route to each identity-arc peer), then
    /// on each outside peer (a route to the moved identity's new link-local).
    mutating func emitNamespaces(_ record: Duplication, title: String) -> Int? {
        let memberSet = Set(record.old)
        var blocks: [(system: String, lines: [String])] = []
        var peers: [(system: String, lines: [String])] = []
        for id in record.old {
            let x = state.identities[id]
            guard let parent = state.systems[x.system]?.nic.device else { continue }
            var lines = CommandText.namespace(record.namespace, parent: parent, nic: x.nic)
            for peer in state.orderedPeers(of: id) {
                let link = state.identities[peer].nic.linkLocal
                lines.append(inside(id, CommandText.linkRoute(to: link, device: x.nic.device, source: x.nic.linkLocal)))
                guard !memberSet.contains(peer) else { continue }
                let p = state.identities[peer]
                peers.append(
                    (
                        p.system,
                        [
                            inside(
                                peer,
                                CommandText.linkRoute(
                                    to: x.nic.linkLocal, device: p.nic.device, source: p.nic.linkLocal))
                        ]
                    ))
            }
            blocks.append((x.system, lines))
        }
        peers = peers.enumerated().sorted {
            let (a, b) = (state.systems[$0.element.system]?.order ?? 0, state.systems[$1.element.system]?.order ?? 0)
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
        let made = emit(
            "\(record.namespace)-namespace", "\(title): old identities into namespace \(record.namespace)", .identity,
            blocks)
        return emit(
            "\(record.namespace)-peers", "\(title): neighbours route to the new link-locals", .identity, peers,
            after: [made]) ?? made
    }
}
