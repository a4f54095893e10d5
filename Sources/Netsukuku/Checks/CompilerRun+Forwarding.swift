import PlanModel

/// The simulator's view of the compiled state, and which node is whom.
struct ForwardingModel {
    var simulator: ForwardingSimulator
    /// Simulator node of each alive identity.
    var nodeOfIdentity: [Int: Int]
    /// Simulator node of each subnet host (by system).
    var nodeOfHost: [String: Int]
}

extension CompilerRun {
    /// The tables, rules and addresses the plan leaves on the nodes so far, for the forwarding simulator.
    func forwardingModel() -> ForwardingModel {
        // Subnet hosts take the first slots and identity `id` the slot after them, so an index means the
        // same node in every state of the plan (walks carried from one derivation to the next rely on it).
        let hostSlots = subnetHostSlots()
        var slots = [ForwardingSimulator.Node?](repeating: nil, count: hostSlots.count + state.identities.count)
        var order: [Int] = []
        var nodeOfIdentity: [Int: Int] = [:]
        var nodeOfHost: [String: Int] = [:]
        for identity in state.identities where identity.isAlive {
            let index = hostSlots.count + identity.id
            slots[index] = node(of: identity)
            nodeOfIdentity[identity.id] = index
            order.append(index)
        }
        for system in state.systems.values where system.config.subnetLevel > 0 {
            guard let gateway = state.principal(of: system.name) else { continue }
            let subnet = SubnetMapping(mapping: mapping, subnetLevel: system.config.subnetLevel)
            let gatewayNIC = state.identities[gateway].nic
            for host in system.config.subnet {
                guard let hostNIC = state.systems[host.system]?.nic,
                    let index = hostSlots[HostSlot(gateway: system.name, host: host.system)]
                else { continue }
                let via = RouteChoice.via(gateway: gatewayNIC.linkLocal, device: hostNIC.device, source: nil)
                let routes: ForwardingSimulator.Table = [
                    IPPrefix(address: subnet.gatewayIP(of: state.identities[gateway].address), length: 32): via,
                    mapping.wholeRange: via,
                ]
                nodeOfHost[host.system] = index
                order.append(index)
                slots[index] = ForwardingSimulator.Node(
                    mac: nil, linkLocal: hostNIC.linkLocal, ownIPs: [subnet.hostIP(lowerIDs: host.lowerIDs)],
                    commonTables: [routes])
            }
        }
        let lengths = Set(scenario.scheme.offsets.map { 32 - $0 } + [32, mapping.wholeRange.length])
        return ForwardingModel(
            simulator: ForwardingSimulator(slots: slots, order: order, prefixLengths: Array(lengths)),
            nodeOfIdentity: nodeOfIdentity, nodeOfHost: nodeOfHost)
    }

    /// A subnet host of one gateway.
    struct HostSlot: Hashable {
        var gateway: String
        var host: String
    }

    /// Every subnet host the scenario declares, numbered from 0 (gateways by name, hosts in their order).
    func subnetHostSlots() -> [HostSlot: Int] {
        var slots: [HostSlot: Int] = [:]
        for system in scenario.systems.values.sorted(by: { $0.name < $1.name }) where system.subnetLevel > 0 {
            for host in system.subnet where slots[HostSlot(gateway: system.name, host: host.system)] == nil {
                slots[HostSlot(gateway: system.name, host: host.system)] = slots.count
            }
        }
        return slots
    }

    /// An alive identity as the simulator sees it.
    private func node(of identity: IdentityState) -> ForwardingSimulator.Node {
        var own = Set(identity.ownAddresses.map(\.ip))
        var common: [ForwardingSimulator.Table] = []
        var netmaps: [ForwardingSimulator.Netmap] = []
        if identity.isPrincipal {
            own.insert(mapping.localhost)
            var ntk = identity.ntk ?? [:]
            if let config = config(identity.system), config.subnetLevel > 0 {
                let subnet = SubnetMapping(mapping: mapping, subnetLevel: config.subnetLevel)
                own.insert(subnet.gatewayIP(of: identity.address))
                for host in config.subnet {
                    guard let hostNIC = state.systems[host.system]?.nic else { continue }
                    ntk[IPPrefix(address: subnet.hostIP(lowerIDs: host.lowerIDs), length: 32)] = .via(
                        gateway: hostNIC.linkLocal, device: identity.nic.device, source: nil)
                }
                netmaps = identity.netmap.compactMap(Self.netmap)
            }
            common = [ntk]
        }
        var tables: [MACAddress: ForwardingSimulator.Table] = [:]
        for table in identity.tables where table.hasRule { tables[table.mac] = table.routes }
        return ForwardingSimulator.Node(
            mac: identity.nic.mac, linkLocal: identity.nic.linkLocal, ownIPs: own, commonTables: common,
            forwardingTables: tables, netmaps: netmaps, snat: identity.snat)
    }

    /// A PREROUTING NETMAP rule's destination rewrite.
    static func netmap(_ rule: NATRule) -> ForwardingSimulator.Netmap? {
        guard rule.chain == "PREROUTING" else { return nil }
        let words = rule.spec.split(separator: " ").map(String.init)
        guard let d = words.firstIndex(of: "-d"), let to = words.firstIndex(of: "--to"), d + 1 < words.count,
            to + 1 < words.count, let from = IPPrefix(words[d + 1]), let into = IPPrefix(words[to + 1])
        else { return nil }
        return ForwardingSimulator.Netmap(from: from, to: into)
    }
}
