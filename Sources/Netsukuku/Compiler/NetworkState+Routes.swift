import PlanModel

/// The routes an identity's tables should hold.
struct ComputedRoutes: Sendable, Hashable {
    /// Table `ntk`, for a principal identity.
    var ntk: [TableRoute]?
    /// By peer identity.
    var tables: [Int: [TableRoute]]
}

extension NetworkState {
    /// The destinations of an identity, as its tables list them.
    func destinations(of identity: Int, mapping: IPMapping) -> [Destination] {
        let x = identities[identity]
        return mapping.destinations(of: x.address, subnetLevel: x.subnetLevel, lowestLevel: x.lowestLevel)
    }

    func prefixes(of identity: Int, mapping: IPMapping) -> [DestinationPrefix] {
        destinations(of: identity, mapping: mapping).flatMap(\.prefixes)
    }

    /// The routes of every table of `identity`, from what it knows (its view; its own arcs and address and
    /// its group's are always current), with gateways at the peers' current link-locals.
    func routes(of identity: Int, mapping: IPMapping) -> ComputedRoutes {
        let x = identities[identity]
        let view = x.view
        let mates = Set(
            identities.filter { $0.isAlive && $0.group != nil && $0.group == x.group && $0.network == x.network }.map(
                \.id))
        var members: Set<Int> = mates.union([identity])
        let ownArcs = arcIndices(of: identity).filter { arcs[$0].isQspn }
        for index in ownArcs { if let peer = arcs[index].peer(of: identity) { members.insert(peer) } }
        if let view {
            for (id, address) in view.addresses.enumerated() where address != nil && view.networks[id] == x.network {
                members.insert(id)
            }
        }
        let order = members.sorted()
        var position: [Int: Int] = [:]
        for (index, id) in order.enumerated() { position[id] = index }
        func address(of id: Int) -> NetsukukuAddress {
            if mates.contains(id) || id == identity { return identities[id].address }
            return view?.address(of: id) ?? identities[id].address
        }
        var graph = RoutingGraph(addresses: order.map(address))
        var unusable: Set<Int> = []
        for id in order where id != identity && !mates.contains(id) {
            if !(view?.isActive(id) ?? false) { unusable.insert(position[id] ?? 0) }
        }
        var known: [IdentityArc] = []
        if let view { known = view.arcs.filter { !$0.ends.contains(identity) } }
        known += arcs.filter {
            $0.isAlive && $0.isQspn && !$0.ends.contains(identity) && $0.ends.allSatisfy(mates.contains)
        }
        for arc in known {
            guard let a = position[arc.ends[0]], let b = position[arc.ends[1]] else { continue }
            graph.addArc(a, b, cost: arc.cost)
        }
        var firstHops: Set<Int> = []
        for index in ownArcs {
            let arc = arcs[index]
            guard let peer = arc.peer(of: identity), let a = position[identity], let b = position[peer] else {
                continue
            }
            graph.arcs[a].append(RoutingGraph.Arc(peer: b, cost: arc.cost))
            if arc.heardBy.contains(identity) || mates.contains(peer) { firstHops.insert(b) }
        }
        return computeRoutes(
            of: identity, graph: graph, position: position, limits: .init(unusable: unusable, firstHops: firstHops),
            mapping: mapping)
    }

    private func computeRoutes(
        of identity: Int, graph: RoutingGraph, position: [Int: Int], limits: PathSearch.Limits, mapping: IPMapping
    ) -> ComputedRoutes {
        let x = identities[identity]
        let calculator = RouteCalculator(mapping: mapping, graph: graph)
        let destinations = destinations(of: identity, mapping: mapping)
        let back = Dictionary(uniqueKeysWithValues: position.map { ($1, $0) })
        func gateway(_ node: Int) -> IPAddress { back[node].map { identities[$0].nic.linkLocal } ?? .v4(0) }
        let source = position[identity] ?? 0
        let own = Set(x.ownAddresses.map(\.ip))
        var result = ComputedRoutes(ntk: nil, tables: [:])
        if x.isPrincipal {
            result.ntk = calculator.mainRoutes(
                of: source, destinations: destinations, limits: limits, device: x.nic.device,
                sourceIP: { kind in mapping.sourceIP(of: x.address, for: kind).flatMap { own.contains($0) ? $0 : nil }
                },
                gateway: gateway)
        }
        for table in x.tables {
            guard let peer = position[table.peer] else { continue }
            result.tables[table.peer] = calculator.forwardingRoutes(
                of: source, from: peer, destinations: destinations, limits: limits, device: x.nic.device,
                isPeerAddressKnown: table.isAddressKnown, gateway: gateway)
        }
        return result
    }
}
