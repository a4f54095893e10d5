import PlanModel

extension CompilerRun {
    /// Reach checks derived from the state after an operation (or an ETP wave): within each network every
    /// pair of principal identities (and subnet hosts) pings each other's global, anonymising and shared
    /// internal IPs; every identity pings its identity-arc peers' link-locals; each principal finds one or two
    /// addresses of other networks unreachable. A ping is listed only when the simulated forwarding delivers
    /// it and its answer; a same-network pair the model cannot deliver becomes a warning instead.
    mutating func deriveChecks() {
        let model = forwardingModel()
        // Walks of the previous derivation stay valid where the tables they went through did not change.
        var memo = ForwardingSimulator.Memo()
        if reusesWalks, let old = carriedWalks?.simulator, let carried = carriedWalks?.memo {
            // Let go of the carried copy first, so the memo's tables are not copied at their first change.
            carriedWalks = nil
            memo = carried
            memo.keepWalks(from: old, in: model.simulator)
        }
        defer { carriedWalks = (model.simulator, memo) }
        var globals: [(network: Int, system: String, ip: IPAddress)] = []
        var owned: [Int: Set<IPAddress>] = [:]
        for identity in state.identities where identity.isAlive {
            owned[identity.network, default: []].formUnion(identity.ownAddresses.map(\.ip))
            if identity.isPrincipal, let ip = identity.ownAddresses.first(where: { $0.kind == .global })?.ip {
                globals.append((identity.network, identity.system, ip))
            }
        }
        let foreign = globals.map { (order: state.systems[$0.system]?.order ?? 0, global: $0) }
            .sorted { $0.order < $1.order }.map(\.global)
        for network in state.networkNames.indices {
            let principals = state.sortedBySystem(
                state.identities.filter {
                    $0.isAlive && $0.isPrincipal && $0.network == network && !$0.isBootstrap && !$0.isWaiting
                }.map(\.id))
            let endpoints = principals.flatMap { checkEndpoints(of: $0) }
            reachMemo.prepare(
                network: network, endpoints: endpoints.map { ReachMemo.EndpointKey($0, node: model.node($0)) })
            for (index, source) in endpoints.enumerated() {
                var (targets, lost) = reachableTargets(
                    network: network, index: index, among: endpoints, model: model, memo: &memo)
                targets += subnetTargets(of: source, model: model)
                reach(from: source, targets: targets, expectation: .reachable)
                reach(
                    from: source, targets: lost, expectation: .unreachable, id: "lost-answer",
                    what: "gets no answer from anonymising IPs (NAT on the way)")
            }
            for id in principals {
                unreachableCheck(
                    id, candidates: foreign.filter { $0.network != network }.map(\.ip),
                    owned: owned[network] ?? [], model: model, memo: &memo)
            }
        }
        for identity in state.identities where identity.isAlive {
            let peers = state.orderedPeers(of: identity.id).map { state.identities[$0].nic.linkLocal }
            guard let node = state.systems[identity.system]?.node else { continue }
            let check = ReachCheck(
                node: node, netns: identity.namespace.flatMap(NamespaceName.init(rawValue:)), targets: unique(peers),
                label: identity.system)
            if !peers.isEmpty {
                emitter.reach(
                    id: "hear-\(operation)-\(identity.label)", title: "\(identity.label) hears its neighbours",
                    check: check, location: location)
            }
        }
    }

    /// `pingTargets` of the endpoint at `index`, taken from `reachMemo` while what it read is unchanged;
    /// its warnings are given again after the current operation.
    private mutating func reachableTargets(
        network: Int, index: Int, among endpoints: [CheckEndpoint], model: ForwardingModel,
        memo: inout ForwardingSimulator.Memo
    ) -> (reachable: [IPAddress], lost: [IPAddress]) {
        let entry: ReachMemo.Entry
        if reusesWalks, let known = reachMemo.entries[network]?[index], known.isValid(in: model.simulator) {
            entry = known
        } else {
            memo.recorded = []
            memo.recordedAnonymisers = []
            let (reachable, lost, warnings) = pingTargets(
                from: endpoints[index], among: endpoints, model: model, memo: &memo)
            entry = ReachMemo.Entry(
                reachable: reachable, lost: lost, warnings: warnings, walks: memo.recorded ?? [],
                anonymisers: memo.recordedAnonymisers)
            memo.recorded = nil
            memo.recordedAnonymisers = []
            if reusesWalks { reachMemo.entries[network, default: [:]][index] = entry }
        }
        for warning in entry.warnings { warn("after \(operation): \(warning)") }
        return (entry.reachable, entry.lost)
    }

    /// The IPs of the other endpoints of one network that `source` reaches with their answers back, and the
    /// anonymising ones whose answers the model says are lost on the way back, with a warning (without the
    /// operation it follows) for each of those and for each IP the model cannot reach.
    private func pingTargets(
        from source: CheckEndpoint, among endpoints: [CheckEndpoint], model: ForwardingModel,
        memo: inout ForwardingSimulator.Memo
    ) -> (reachable: [IPAddress], lost: [IPAddress], warnings: [String]) {
        let simulator = model.simulator
        func delivers(_ from: Int?, _ target: IPAddress, to expected: Int?) -> Bool {
            guard let from, let expected else { return false }
            return simulator.deliveryNode(from: from, to: target, memo: &memo) == expected
        }
        var targets: [IPAddress] = []
        var lost: [IPAddress] = []
        var warnings: [String] = []
        for target in endpoints
        where target.node != source.node && (source.gateway == nil || target.gateway != source.gateway) {
            for (kind, ip) in target.addresses {
                guard let reply = source.source(for: kind),
                    source.shares(kind, with: target, levels: scenario.scheme.levels)
                else { continue }
                func unreachable() -> String {
                    "\(source.label) cannot reach \(target.label)'s \(kind) IP \(ip) in the model"
                }
                guard kind == .anonymous else {
                    if delivers(model.node(source), ip, to: model.node(target))
                        && delivers(model.node(target), reply, to: model.node(source))
                    {
                        targets.append(ip)
                    } else {
                        warnings.append(unreachable())
                    }
                    continue
                }
                var answered: Int?
                if let from = model.node(source) {
                    answered = simulator.anonymousRoundTrip(
                        from: from, to: ip, reply: reply, firstHopMaps: source.host != nil, memo: &memo)
                }
                if let answered, answered == model.node(target) {
                    targets.append(ip)
                } else if delivers(model.node(source), ip, to: model.node(target)) {
                    lost.append(ip)
                    warnings.append(
                        "\(source.label) reaches \(target.label)'s anonymising IP \(ip), but the answer "
                            + "is lost: anonymisers on the way rewrite the source, and the last one's table for packets "
                            + "from the hop the answer comes through has no route back")
                } else {
                    warnings.append(unreachable())
                }
            }
        }
        return (targets, lost, warnings)
    }

    /// A gateway and its hosts reach each other by their internal addresses of the subnet level (the NETMAP
    /// applies to packets crossing the gateway, not to its own).
    private func subnetTargets(of endpoint: CheckEndpoint, model: ForwardingModel) -> [IPAddress] {
        guard let system = endpoint.gateway, let gateway = state.principal(of: system),
            let config = config(system)
        else { return [] }
        let subnet = SubnetMapping(mapping: mapping, subnetLevel: config.subnetLevel)
        let gatewayIP = subnet.gatewayIP(of: state.identities[gateway].address)
        if endpoint.host == nil {
            return config.subnet.map { subnet.hostIP(lowerIDs: $0.lowerIDs) }.filter { ip in
                model.simulator.deliveryNode(from: model.nodeOfIdentity[gateway] ?? 0, to: ip) != nil
            }
        }
        return [gatewayIP]
    }

    private func unique(_ addresses: [IPAddress]) -> [IPAddress] {
        var seen: Set<IPAddress> = []
        return addresses.filter { seen.insert($0).inserted }
    }

    mutating func warn(_ text: String) {
        if warned.insert(text).inserted { warnings.append(text) }
    }

    private mutating func reach(
        from source: CheckEndpoint, targets: [IPAddress], expectation: ReachCheck.Expectation, id given: String? = nil,
        what described: String? = nil
    ) {
        let targets = unique(targets)
        guard !targets.isEmpty, let node = state.systems[source.system]?.node else { return }
        let check = ReachCheck(node: node, targets: targets, expectation: expectation, label: source.system)
        let what = described ?? (expectation == .reachable ? "reaches its network" : "cannot reach other networks")
        let id = given ?? (expectation == .reachable ? "reach" : "unreachable")
        emitter.reach(
            id: "\(id)-\(operation)-\(source.system)", title: "\(source.label) \(what)", check: check,
            location: location)
    }

    /// One or two global IPs of other networks that the identity's tables must not deliver.
    private mutating func unreachableCheck(
        _ id: Int, candidates: [IPAddress], owned: Set<IPAddress>, model: ForwardingModel,
        memo: inout ForwardingSimulator.Memo
    ) {
        let identity = state.identities[id]
        guard identity.ownAddresses.contains(where: { $0.kind == .global }), let node = model.nodeOfIdentity[id] else {
            return
        }
        var targets: [IPAddress] = []
        for global in candidates where targets.count < 2 && !owned.contains(global) && !targets.contains(global) {
            if model.simulator.deliveryNode(from: node, to: global, memo: &memo) == nil { targets.append(global) }
        }
        let endpoint = CheckEndpoint(
            system: identity.system, label: identity.label, identity: id, host: nil, gateway: nil,
            address: identity.address, addresses: [])
        reach(from: endpoint, targets: targets, expectation: .unreachable)
    }

    /// The principal identity, and the hosts of its subnet when it is a gateway, as ping endpoints.
    func checkEndpoints(of id: Int) -> [CheckEndpoint] {
        let identity = state.identities[id]
        let own = identity.ownAddresses.map { ($0.kind, $0.ip) }
        let isGateway = (config(identity.system)?.subnetLevel ?? 0) > 0
        var result = [
            CheckEndpoint(
                system: identity.system, label: identity.label, identity: id, host: nil,
                gateway: isGateway ? identity.system : nil, address: identity.address, addresses: own)
        ]
        guard let config = config(identity.system), config.subnetLevel > 0 else { return result }
        let subnet = config.subnetLevel
        let mapped = identity.address.gnode(level: subnet)
        for host in config.subnet {
            let address = mapped.address(
                keepingLowerLevelsOf: NetsukukuAddress(
                    ids: host.lowerIDs + Array(repeating: 0, count: scenario.scheme.levels - subnet)))
            var addresses: [(PrefixKind, IPAddress)] = []
            if let global = mapping.globalIP(of: address) { addresses.append((.global, global)) }
            if config.acceptsAnonymous, let anon = mapping.anonymousIP(of: address) {
                addresses.append((.anonymous, anon))
            }
            for level in stride(from: scenario.scheme.topLevel, to: subnet, by: -1) {
                if let ip = mapping.internalIP(of: address, level: level) {
                    addresses.append((.internal(level: level), ip))
                }
            }
            // Only while the gateway's own position is real does NETMAP map anything.
            result.append(
                CheckEndpoint(
                    system: host.system, label: host.system, identity: nil, host: host.system,
                    gateway: identity.system, address: address, addresses: identity.netmap.isEmpty ? [] : addresses))
        }
        return result
    }
}

/// A ping source or target: a principal identity or a subnet host, with its IPs by kind.
struct CheckEndpoint: Equatable {
    var system: String
    var label: String
    var identity: Int?
    var host: String?
    /// The gateway system of a subnet host, or the system itself for a gateway.
    var gateway: String?
    var address: NetsukukuAddress
    var addresses: [(PrefixKind, IPAddress)]

    var node: String { system }

    static func == (one: CheckEndpoint, other: CheckEndpoint) -> Bool {
        one.system == other.system && one.label == other.label && one.identity == other.identity
            && one.host == other.host && one.gateway == other.gateway && one.address == other.address
            && one.addresses.elementsEqual(other.addresses) { $0 == $1 }
    }

    /// The IP an answer to a ping of `kind` goes back to: the route's `src` (the host's mapped IP).
    func source(for kind: PrefixKind) -> IPAddress? {
        let wanted: PrefixKind = kind == .anonymous ? .global : kind
        return addresses.first { $0.0 == wanted }?.1
    }

    /// Internal IPs are pinged only inside the g-node of their level both ends share.
    func shares(_ kind: PrefixKind, with other: CheckEndpoint, levels: Int) -> Bool {
        guard let level = kind.internalLevel else { return true }
        for index in level..<address.ids.count where address.ids[index] != other.address.ids[index] { return false }
        return true
    }
}

extension ForwardingModel {
    func node(_ endpoint: CheckEndpoint) -> Int? {
        if let identity = endpoint.identity { return nodeOfIdentity[identity] }
        return endpoint.host.flatMap { nodeOfHost[$0] }
    }
}
