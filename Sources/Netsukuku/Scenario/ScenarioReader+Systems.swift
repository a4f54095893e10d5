import OrderedCollections
import PlanModel
import Yams

extension ScenarioReader {
    mutating func readSystems(_ node: Yams.Node) -> OrderedDictionary<String, ScenarioSystem> {
        var systems = OrderedDictionary<String, ScenarioSystem>()
        guard let entries = walker.mapping(node, "'systems'") else { return systems }
        if entries.isEmpty { walker.error(.missingKey, "'systems' is empty", at: node, hint: Self.systemsHint) }
        systemNames = entries.map(\.key)
        for entry in entries {
            if let system = readSystem(entry) { systems[entry.key] = system }
        }
        // A subnet host runs no qspnclient and needs no address; every other system does.
        let hosts = Set(systems.values.flatMap { $0.subnet.map(\.system) })
        for entry in entries {
            guard let system = systems[entry.key], system.address == nil, !system.isBroken, !hosts.contains(entry.key)
            else { continue }
            walker.error(
                .missingKey, "system '\(entry.key)' has no 'address'", at: entry.keyNode,
                hint: "give its initial address, e.g. 'address: 3·0·1·0', or list it in a gateway's 'subnet'")
        }
        return systems
    }

    mutating func readSystem(_ entry: YAMLEntry) -> ScenarioSystem? {
        let location = walker.location(of: entry.keyNode)
        guard let fields = walker.mapping(entry.value, "system '\(entry.key)'") else { return nil }
        walker.rejectUnknownKeys(fields, allowed: Self.systemKeys, in: "system '\(entry.key)'")
        var system = ScenarioSystem(name: entry.key, address: nil, location: location)
        var subnetNode: Yams.Node?
        for field in fields {
            switch field.key {
            case "address":
                system.address = readAddress(field.value, "the address of '\(entry.key)'")
                if system.address == nil { system.isBroken = true }
            case "anonymous": system.acceptsAnonymous = walker.bool(field.value, "'anonymous'") ?? true
            case "anonymiser": system.anonymiser = walker.bool(field.value, "'anonymiser'") ?? true
            case "subnetlevel":
                system.subnetLevel = walker.int(field.value, "'subnetlevel'", range: 0...(scheme.levels - 1)) ?? 0
            case "subnet": subnetNode = field.value
            case "nic":
                if let nic = walker.nonEmptyString(field.value, "'nic'") { system.nic = nic }
            case "mac": system.mac = readMAC(field.value)
            case "linklocal": system.linkLocal = readLinkLocal(field.value)
            default: break
            }
        }
        if let subnetNode { system.subnet = readSubnet(subnetNode, gateway: system) }
        return system
    }

    /// `subnet: {rho: 1}`: each host with its ids below the subnet level, written top level first.
    mutating func readSubnet(_ node: Yams.Node, gateway: ScenarioSystem) -> [SubnetHost] {
        guard let entries = walker.mapping(node, "'subnet'") else { return [] }
        if gateway.subnetLevel == 0 {
            walker.error(
                .invalidValue, "'\(gateway.name)' has a subnet but no 'subnetlevel'", at: node,
                hint: "give the level of the g-node the subnet fills, e.g. 'subnetlevel: 1'")
            return []
        }
        var hosts: [SubnetHost] = []
        for entry in entries {
            guard let text = walker.nonEmptyString(entry.value, "the id of subnet host '\(entry.key)'") else {
                continue
            }
            let ids = text.split(whereSeparator: { $0 == "·" || $0 == "." }).compactMap { Int($0) }.reversed()
            let lower = Array(ids)
            let fits =
                lower.count == gateway.subnetLevel && lower.indices.allSatisfy { scheme.isReal(lower[$0], at: $0) }
            guard fits else {
                walker.error(
                    .invalidValue,
                    "subnet host id '\(text)' is outside the scheme \(scheme) below level \(gateway.subnetLevel)",
                    at: entry.value, hint: "give \(gateway.subnetLevel) real id(s), top level first, e.g. '1'")
                continue
            }
            if !systemNames.contains(entry.key) {
                walker.error(
                    .unknownReference, "unknown system '\(entry.key)'", at: entry.keyNode,
                    hint: "systems of this scenario: \(systemNames.joined(separator: ", "))")
                continue
            }
            hosts.append(SubnetHost(system: entry.key, lowerIDs: lower, location: walker.location(of: entry.keyNode)))
        }
        return hosts
    }

    mutating func readMAC(_ node: Yams.Node) -> Located<MACAddress>? {
        guard let text = walker.nonEmptyString(node, "'mac'") else { return nil }
        guard let mac = MACAddress(text), !mac.isMulticast else {
            walker.error(
                .invalidValue, "'\(text)' is not a unicast MAC address", at: node,
                hint: "write six hex pairs with colons, e.g. 00:16:3E:8E:91:B9")
            return nil
        }
        return Located(mac, at: walker.location(of: node))
    }

    mutating func readLinkLocal(_ node: Yams.Node) -> Located<IPAddress>? {
        guard let text = walker.nonEmptyString(node, "'linklocal'") else { return nil }
        guard let address = IPAddress(text), address.isLinkLocal, address.isV4 else {
            walker.error(
                .invalidValue, "'\(text)' is not an IPv4 link-local address", at: node,
                hint: "use an address of 169.254.0.0/16, e.g. 169.254.215.29")
            return nil
        }
        return Located(address, at: walker.location(of: node))
    }

    /// A system name of this scenario, or an error listing them.
    mutating func readSystemName(_ node: Yams.Node, _ what: String) -> Located<String>? {
        guard let name = walker.nonEmptyString(node, what) else { return nil }
        guard systemNames.contains(name) else {
            let suggestion = YAMLWalker.closest(to: name, among: systemNames).map { "did you mean '\($0)'? " } ?? ""
            walker.error(
                .unknownReference, "unknown system '\(name)'", at: node,
                hint: "\(suggestion)systems of this scenario: \(systemNames.joined(separator: ", "))")
            return nil
        }
        return Located(name, at: walker.location(of: node))
    }

    /// One system name or a list of them.
    mutating func readSystemNames(_ node: Yams.Node, _ what: String) -> [Located<String>] {
        if case .scalar = node { return readSystemName(node, what).map { [$0] } ?? [] }
        guard let items = walker.sequence(node, what) else { return [] }
        return items.compactMap { readSystemName($0, "each entry of \(what)") }
    }
}
