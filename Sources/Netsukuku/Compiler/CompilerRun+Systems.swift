import PlanModel

extension CompilerRun {
    /// Checks every scenario system against the topology and records its NIC facts: the scenario's, else the
    /// topology's, else derived from its name.
    mutating func setUpSystems() {
        let names = Array(topology.nodes.keys)
        for (index, system) in scenario.systems.values.enumerated() {
            guard let node = topology.node(named: system.name) else {
                fail(
                    .unknownReference, "system '\(system.name)' is not a node of topology '\(topology.name)'",
                    at: system.location, hint: "nodes of the topology: \(names.joined(separator: ", "))")
                continue
            }
            guard let interface = node.interfaces[system.nic] else {
                fail(
                    .unknownReference, "node '\(node.name)' has no interface '\(system.nic)'", at: system.location,
                    hint: "interfaces of '\(node.name)': \(node.interfaces.keys.joined(separator: ", "))")
                continue
            }
            let mac = system.mac?.value ?? interface.mac ?? derivedMAC(for: system.name)
            let documented = interface.addresses.map(\.address).first { $0.isLinkLocal && $0.isV4 }
            let linkLocal = system.linkLocal?.value ?? documented ?? derivedLinkLocal(for: system.name)
            usedMACs.insert(mac)
            usedLinkLocals.insert(linkLocal)
            let order = names.firstIndex(of: node.name) ?? index
            state.systems[system.name] = SystemState(
                name: system.name, node: node.name, config: system,
                nic: NIC(device: system.nic, mac: mac, linkLocal: linkLocal),
                order: order)
            emitter.nodes[system.name] = node.name
        }
    }

    /// A locally administered unicast MAC derived from a name, unique in this compilation.
    mutating func derivedMAC(for name: String) -> MACAddress {
        var salt = 0
        while true {
            let hash = Self.fnv("mac:\(name):\(salt)")
            let octets = (0..<5).map { UInt8((hash >> (8 * UInt64($0))) & 0xFF) }
            let text =
                (["02"]
                + octets.map { byte in
                    let hex = String(byte, radix: 16, uppercase: true)
                    return hex.count == 1 ? "0" + hex : hex
                }).joined(separator: ":")
            if let mac = MACAddress(text), !usedMACs.contains(mac) {
                usedMACs.insert(mac)
                return mac
            }
            salt += 1
        }
    }

    /// A link-local address derived from a name (169.254.1.1 … 169.254.254.254), unique in this compilation.
    mutating func derivedLinkLocal(for name: String) -> IPAddress {
        var salt = 0
        while true {
            let hash = Self.fnv("ll:\(name):\(salt)")
            let address = IPAddress.v4(0xA9FE_0000 | UInt32(1 + hash % 254) << 8 | UInt32(1 + (hash >> 8) % 254))
            if !usedLinkLocals.contains(address) {
                usedLinkLocals.insert(address)
                return address
            }
            salt += 1
        }
    }

    static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// The NIC of a new namespace on `system`: given by the scenario, else derived from system and namespace.
    mutating func newNIC(system: String, namespace: String, spec: NICSpec?) -> NIC {
        let mac: MACAddress
        if let given = spec?.mac {
            if usedMACs.contains(given.value) {
                fail(
                    .duplicate, "MAC \(given.value) is already used by another NIC", at: given.location,
                    hint: "give every identity's NIC its own MAC, or leave it out to derive one")
            }
            usedMACs.insert(given.value)
            mac = given.value
        } else {
            mac = derivedMAC(for: "\(system)/\(namespace)")
        }
        let linkLocal: IPAddress
        if let given = spec?.linkLocal {
            if usedLinkLocals.contains(given.value) {
                fail(
                    .duplicate, "link-local \(given.value) is already used by another NIC", at: given.location,
                    hint: "give every identity's NIC its own link-local, or leave it out to derive one")
            }
            usedLinkLocals.insert(given.value)
            linkLocal = given.value
        } else {
            linkLocal = derivedLinkLocal(for: "\(system)/\(namespace)")
        }
        return NIC(device: "\(namespace)_eth1", mac: mac, linkLocal: linkLocal)
    }

    /// The scenario system of a name the reader already checked.
    func config(_ system: String) -> ScenarioSystem? { state.systems[system]?.config }

    /// The network of a system's principal identity.
    func network(of system: String) -> Int? { state.principal(of: system).map { state.identities[$0].network } }

    /// `gamma's network` (G_γ): named after the system that started it.
    func networkName(_ network: Int) -> String { "\(state.networkNames[network])'s network" }
}
