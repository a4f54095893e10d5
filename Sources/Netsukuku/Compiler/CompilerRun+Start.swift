import PlanModel

extension CompilerRun {
    /// `init` (OP-1): each system starts alone in its own network, with every destination unreachable; a
    /// gateway first sets up its subnet by the "other mechanism", then its hosts start (OP-15).
    mutating func start(_ names: [Located<String>]) {
        var first: [(system: String, lines: [String])] = []
        var hosts: [(system: String, lines: [String])] = []
        var gateways: [(system: String, lines: [String])] = []
        for name in names {
            guard let system = state.systems[name.value], let config = config(name.value) else { continue }
            guard let address = config.address?.value else {
                fail(
                    .invalidValue, "system '\(name.value)' is a subnet host; it does not run qspnclient",
                    at: name.location, hint: "a subnet host starts with its gateway's 'init'")
                continue
            }
            guard !system.isStarted else {
                fail(
                    .duplicate, "system '\(name.value)' is already started", at: name.location,
                    hint: "start every system once")
                continue
            }
            let identity = makePrincipal(system: name.value, address: address)
            let (base, netsukuku) = startLines(identity)
            if config.subnetLevel > 0 {
                first.append((name.value, base + gatewaySubnetLines(identity)))
                gateways.append((name.value, netsukuku))
                for host in config.subnet { hosts.append((host.system, subnetHostLines(host, gateway: identity))) }
            } else {
                first.append((name.value, base + netsukuku))
            }
        }
        let systems = names.map(\.value).joined(separator: ", ")
        let base = emit("start", "System start of \(systems)", .start, first)
        let subnet = emit("subnet", "Autonomous subnet hosts start", .start, hosts, after: [base])
        emit("gateways", "Gateways start qspnclient", .start, gateways, after: [subnet])
    }

    /// The principal identity of a starting system, alone in a new network named after it.
    mutating func makePrincipal(system name: String, address: NetsukukuAddress) -> Int {
        guard let system = state.systems[name], let config = config(name) else { return 0 }
        state.systems[name]?.isStarted = true
        state.systems[name]?.tableNumbers["ntk"] = SystemState.ntkNumber
        let network = state.networkNames.count
        state.networkNames.append(name)
        let id = state.identities.count
        var identity = IdentityState(
            id: id, system: name, namespace: nil, nic: system.nic, address: address, network: network,
            lowestLevel: 0, subnetLevel: config.subnetLevel, isBootstrap: false)
        identity.ntk = [:]
        state.identities.append(identity)
        state.identities[id].view = state.snapshot()
        return id
    }

    /// The block of OP-1, split where a gateway's subnet setup goes: (base, the Netsukuku part).
    mutating func startLines(_ id: Int) -> ([String], [String]) {
        let identity = state.identities[id]
        guard let config = config(identity.system) else { return ([], []) }
        let nic = identity.nic
        let device = nic.device
        let base = [
            "sysctl net.ipv4.ip_forward=1 &>/dev/null", "sysctl net.ipv4.conf.all.rp_filter=0 &>/dev/null",
            CommandText.addressAdd(mapping.localhost, device: "lo"),
            "ip link set dev \(device) address \(nic.mac)",
            "sysctl net.ipv4.conf.\(device).rp_filter=0 &>/dev/null",
            "sysctl net.ipv4.conf.\(device).arp_ignore=1 &>/dev/null",
            "sysctl net.ipv4.conf.\(device).arp_announce=2 &>/dev/null",
            "ip link set dev \(device) up", CommandText.addressAdd(nic.linkLocal, device: device),
            CommandText.register(number: SystemState.ntkNumber, name: "ntk"), "ip rule add table ntk",
        ]
        var lines: [String] = []
        let own = mapping.ownAddresses(
            of: identity.address, acceptsAnonymous: config.acceptsAnonymous, subnetLevel: config.subnetLevel)
        lines += own.map { CommandText.addressAdd($0.ip, device: device) }
        state.identities[id].ownAddresses = own
        let prefixes = state.prefixes(of: id, mapping: mapping)
        lines += prefixes.map { RouteCommand.addUnreachable($0, table: "ntk") }
        let rules = SubnetMapping(mapping: mapping, subnetLevel: config.subnetLevel).netmapRules(
            of: identity.address, acceptsAnonymous: config.acceptsAnonymous)
        lines += rules.map(\.addCommand)
        state.identities[id].netmap = rules
        if config.anonymiser, let global = mapping.globalIP(of: identity.address) {
            lines.append(SubnetMapping.snatRule(mapping: mapping, global: global).addCommand)
            state.identities[id].snat = global
        }
        lines += prefixes.map { RouteCommand.change(TableRoute(prefix: $0, choice: .unreachable), table: "ntk") }
        state.identities[id].ntk = Dictionary(uniqueKeysWithValues: prefixes.map { ($0.prefix, .unreachable) })
        return (base, lines)
    }

    /// The gateway's "other mechanism": its own internal-Ls address, a route to each host's link-local and a
    /// route in `ntk` to each host's internal-Ls address.
    func gatewaySubnetLines(_ id: Int) -> [String] {
        let identity = state.identities[id]
        guard let config = config(identity.system) else { return [] }
        let subnet = SubnetMapping(mapping: mapping, subnetLevel: config.subnetLevel)
        let own = subnet.gatewayIP(of: identity.address)
        var lines = [CommandText.addressAdd(own, device: identity.nic.device)]
        for host in config.subnet {
            guard let hostNIC = state.systems[host.system]?.nic else { continue }
            lines.append(
                CommandText.linkRoute(
                    to: hostNIC.linkLocal, device: identity.nic.device, source: identity.nic.linkLocal))
            lines.append(
                "ip route add \(subnet.hostIP(lowerIDs: host.lowerIDs))/32 table ntk via \(hostNIC.linkLocal) "
                    + "dev \(identity.nic.device) src \(own)")
        }
        return lines
    }

    /// A subnet host's own setup: its link-local, the gateway's, its internal-Ls address and its routes.
    mutating func subnetHostLines(_ host: SubnetHost, gateway id: Int) -> [String] {
        let gateway = state.identities[id]
        guard let hostNIC = state.systems[host.system]?.nic, let config = config(gateway.system) else { return [] }
        state.systems[host.system]?.isStarted = true
        let subnet = SubnetMapping(mapping: mapping, subnetLevel: config.subnetLevel)
        let own = subnet.hostIP(lowerIDs: host.lowerIDs)
        let device = hostNIC.device
        return [
            "ip link set dev \(device) up", CommandText.addressAdd(hostNIC.linkLocal, device: device),
            CommandText.linkRoute(to: gateway.nic.linkLocal, device: device, source: hostNIC.linkLocal),
            CommandText.addressAdd(own, device: device),
            "ip route add \(subnet.gatewayIP(of: gateway.address))/32 via \(gateway.nic.linkLocal) dev \(device) src \(own)",
            "ip route add \(mapping.wholeRange.withLength) via \(gateway.nic.linkLocal) dev \(device) src \(own)",
        ]
    }
}
