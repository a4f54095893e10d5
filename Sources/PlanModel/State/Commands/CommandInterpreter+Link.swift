/// `ip address add|del` and `ip link add|set|delete` (macvlan and veth; up/down, MAC, name, netns).
extension CommandInterpreter {
    mutating func runAddress(_ words: [String], key: String) -> CommandOutcome {
        guard let verb = words.first else { return .success }
        let scope = UnknownScope.aspects([.addresses, .routes], namespace: name(key))
        if Self.matches(verb, "show") || Self.matches(verb, "list") || Self.matches(verb, "lst") { return .success }
        let isAdd = Self.matches(verb, "add")
        let isDelete = Self.matches(verb, "delete")
        guard isAdd || isDelete else { return notModelled("ip address \(verb)", scope: scope) }
        var local: IPPrefix?
        var hadLength = false
        var device: String?
        var index = 1
        while index < words.count {
            let word = words[index]
            switch word {
            case "dev":
                index += 1
                device = index < words.count ? words[index] : nil
            case "local":
                index += 1
                if index < words.count { local = IPPrefix(words[index]) }
                hadLength = index < words.count && words[index].contains("/")
            case "scope", "label", "broadcast", "brd", "peer", "valid_lft", "preferred_lft", "metric", "noprefixroute":
                return notModelled("ip address option '\(word)'", scope: scope)
            default:
                if local == nil, let prefix = IPPrefix(word) {
                    guard prefix.address.isV4 else { return notModelled("IPv6 address", scope: .nothing) }
                    local = prefix
                    hadLength = word.contains("/")
                } else if device == nil {
                    device = word
                } else {
                    return notModelled("ip address option '\(word)'", scope: scope)
                }
            }
            index += 1
        }
        guard let device else {
            return failure("no device given", "Not enough information: \"dev\" argument is required.", status: 1)
        }
        guard let local else { return notModelled("ip address \(verb) without an address", scope: scope) }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.unknown.contains(.links) || namespace.unknown.contains(.addresses) {
            state.namespaces[key]?.unknown.formUnion([.addresses, .routes])
            return .success
        }
        guard let linkIndex = namespace.linkIndex(named: device) else {
            return failure(
                "device \(device) does not exist in \(label(key))", "Cannot find device \"\(device)\"", status: 1,
                missing: .device(namespace: name(key), name: device))
        }
        let address = InterfaceAddress(address: local.address, prefixLength: local.length)
        if isAdd {
            if !(state.namespaces[key]?.addAddress(address, to: device) ?? false) {
                return failure(
                    "\(device) already has \(address) in \(label(key))", "Error: ipv4: Address already assigned.")
            }
            return .success
        }
        let addresses = namespace.links[linkIndex].addresses
        let found = addresses.firstIndex {
            $0.address == local.address && (!hadLength || $0.prefixLength == local.length)
        }
        guard let found else {
            return failure(
                "\(device) has no address \(hadLength ? address.description : local.address.description) in \(label(key))",
                "Error: ipv4: Address not found.",
                missing: .address(namespace: name(key), address: address, device: device))
        }
        state.namespaces[key]?.deleteAddress(linkIndex: linkIndex, addressIndex: found)
        return .success
    }

    mutating func runLink(_ words: [String], key: String) -> CommandOutcome {
        guard let verb = words.first else { return .success }
        let scope = UnknownScope.aspects([.links, .addresses, .routes], namespace: name(key))
        if Self.matches(verb, "show") || Self.matches(verb, "list") || Self.matches(verb, "lst") { return .success }
        guard let namespace = state.namespaces[key] else { return .success }
        if namespace.unknown.contains(.links) {
            state.namespaces[key]?.unknown.formUnion([.links, .addresses, .routes])
            return .success
        }
        if Self.matches(verb, "add") { return addLink(Array(words.dropFirst()), key: key) }
        if Self.matches(verb, "delete") {
            var rest = Array(words.dropFirst())
            if rest.first == "dev" { rest.removeFirst() }
            guard let device = rest.first, rest.count == 1 || (rest.count == 3 && rest[1] == "type") else {
                return notModelled("ip link delete \(rest.joined(separator: " "))", scope: scope)
            }
            guard let index = namespace.linkIndex(named: device) else {
                return failure(
                    "device \(device) does not exist in \(label(key))", "Cannot find device \"\(device)\"", status: 1,
                    missing: .device(namespace: name(key), name: device))
            }
            if namespace.links[index].isLoopback {
                return failure("lo cannot be deleted", "RTNETLINK answers: Operation not supported")
            }
            let removed = state.namespaces[key]?.detachLink(at: index)
            if let removed { removeMacvlans(onTopOf: [removed.id]) }
            if case .veth(let peer?) = removed?.kind, let location = state.location(ofLink: peer) {
                state.apply(kernel: location.namespace) { _ = $0.detachLink(at: location.index) }
            }
            return .success
        }
        if Self.matches(verb, "set") { return setLink(Array(words.dropFirst()), key: key) }
        return notModelled("ip link \(verb)", scope: scope)
    }

    mutating func addLink(_ words: [String], key: String) -> CommandOutcome {
        let scope = UnknownScope.aspects([.links, .addresses, .routes], namespace: name(key))
        var linkName: String?
        var parent: String?
        var type: String?
        var mode = "vepa"
        var mac: MACAddress?
        var peer: String?
        var index = 0
        while index < words.count {
            let word = words[index]
            let value = index + 1 < words.count ? words[index + 1] : nil
            switch word {
            case "dev", "name":
                linkName = value
                index += 1
            case "link":
                parent = value
                index += 1
            case "type":
                type = value
                index += 1
                if type == "veth" {
                    let rest = Array(words[(index + 1)...])
                    guard rest.count == 3, rest[0] == "peer", rest[1] == "name" else {
                        return notModelled("veth options \(rest.joined(separator: " "))", scope: scope)
                    }
                    peer = rest[2]
                    index = words.count
                    continue
                }
            case "mode":
                guard let value, ["private", "vepa", "bridge", "passthru", "source"].contains(value) else {
                    return failure("bad macvlan mode", "Error: argument is wrong: mode", status: 255)
                }
                mode = value
                index += 1
            case "address":
                guard let value, let parsed = MACAddress(value) else {
                    return notModelled("link address", scope: scope)
                }
                mac = parsed
                index += 1
            default:
                if linkName == nil && index == 0 {
                    linkName = word
                } else {
                    return notModelled("ip link add option '\(word)'", scope: scope)
                }
            }
            index += 1
        }
        guard let linkName, let type else { return notModelled("ip link add without name or type", scope: scope) }
        guard type == "macvlan" || type == "veth" else { return notModelled("link type \(type)", scope: scope) }
        guard var namespace = state.namespaces[key] else { return .success }
        for candidate in [linkName] + (peer.map { [$0] } ?? []) where !Names.isValidInterfaceName(candidate) {
            return failure("'\(candidate)' is not a valid interface name", "Error: Attribute failed policy validation.")
        }
        var parentID: Int?
        if type == "macvlan" {
            guard let parent else {
                return failure("macvlan needs a lower device", "Error: link is required for macvlan")
            }
            guard let lower = namespace.link(named: parent) else {
                return failure(
                    "device \(parent) does not exist in \(label(key))", "Cannot find device \"\(parent)\"", status: 1,
                    missing: .device(namespace: name(key), name: parent))
            }
            if case .macvlan(let root, _) = lower.kind { parentID = root } else { parentID = lower.id }
        }
        if namespace.link(named: linkName) != nil || (peer.map { namespace.link(named: $0) != nil } ?? false) {
            return failure("device \(linkName) already exists in \(label(key))", "RTNETLINK answers: File exists")
        }
        let id = state.nextLinkID
        state.nextLinkID += 1
        if let parentID {
            namespace.links.append(Link(id: id, name: linkName, kind: .macvlan(parent: parentID, mode: mode), mac: mac))
        } else if let peer {
            let peerID = state.nextLinkID
            state.nextLinkID += 1
            namespace.links.append(Link(id: id, name: linkName, kind: .veth(peer: peerID), mac: mac))
            namespace.links.append(Link(id: peerID, name: peer, kind: .veth(peer: id)))
        }
        state.namespaces[key] = namespace
        return .success
    }

    mutating func setLink(_ words: [String], key: String) -> CommandOutcome {
        let scope = UnknownScope.aspects([.links, .addresses, .routes], namespace: name(key))
        var rest = words[...]
        if rest.first == "dev" { rest = rest.dropFirst() }
        guard let device = rest.first else { return notModelled("ip link set without a device", scope: scope) }
        rest = rest.dropFirst()
        var actions: [(String, String?)] = []
        while let word = rest.first {
            rest = rest.dropFirst()
            switch word {
            case "up", "down": actions.append((word, nil))
            case "address", "netns", "name", "mtu":
                guard let value = rest.first else { return notModelled("ip link set \(word)", scope: scope) }
                rest = rest.dropFirst()
                actions.append((word, value))
            default:
                return notModelled("ip link set option '\(word)'", scope: scope)
            }
        }
        guard let namespace = state.namespaces[key] else { return .success }
        guard var index = namespace.linkIndex(named: device) else {
            return failure(
                "device \(device) does not exist in \(label(key))", "Cannot find device \"\(device)\"", status: 1,
                missing: .device(namespace: name(key), name: device))
        }
        // iproute2 sends one request; the kernel applies netns, name, address, mtu, then up/down.
        for (action, value) in actions.sorted(by: { Self.linkActionOrder($0.0) < Self.linkActionOrder($1.0) }) {
            guard let current = state.namespaces[key] else { return .success }
            switch action {
            case "netns":
                guard let target = value else { continue }
                if Int(target) != nil { return notModelled("ip link set netns PID", scope: .everything) }
                guard state.namespaces[target] != nil || state.unknown.contains(.namespaces) else {
                    return failure(
                        "netns \(target) does not exist",
                        "Error: argument \"\(target)\" is wrong: Invalid \"netns\" value",
                        status: 255, missing: .namespace(target))
                }
                if state.namespaces[target] == nil {
                    state.namespaces[target] = NamespaceState(
                        name: target, tablesKnown: false, unknown: Set(StateAspect.allCases))
                }
                if state.namespaces[target]?.link(named: device) != nil {
                    return failure("netns \(target) already has a device \(device)", "RTNETLINK answers: File exists")
                }
                if target == key { continue }
                guard let moved = state.namespaces[key]?.detachLink(at: index) else { continue }
                state.namespaces[target]?.links.append(moved)
                return .success
            case "name":
                guard let newName = value else { continue }
                if !Names.isValidInterfaceName(newName) {
                    return failure(
                        "'\(newName)' is not a valid interface name",
                        "Error: argument is wrong: \"name\" not a valid ifname", status: 255)
                }
                if current.link(named: newName) != nil && newName != current.links[index].name {
                    return failure(
                        "device \(newName) already exists in \(label(key))", "RTNETLINK answers: File exists")
                }
                state.namespaces[key]?.renameLink(at: index, to: newName)
            case "address":
                guard let text = value, let mac = MACAddress(text) else {
                    return failure(
                        "bad MAC \(value ?? "")", "Error: argument is wrong: \"address\" value is invalid", status: 255)
                }
                if mac.isMulticast {
                    return failure("\(mac) is a multicast MAC", "RTNETLINK answers: Cannot assign requested address")
                }
                if case .macvlan(let parent, _) = current.links[index].kind,
                    let location = state.location(ofLink: parent),
                    state.namespaces[location.namespace]?.links[location.index].mac == mac
                {
                    return failure(
                        "\(mac) is the MAC of the macvlan's lower device", "RTNETLINK answers: Address already in use")
                }
                state.namespaces[key]?.links[index].mac = mac
            case "mtu":
                continue
            case "up", "down":
                state.namespaces[key]?.setLink(current.links[index].name, up: action == "up")
            default:
                continue
            }
            index = state.namespaces[key]?.linkIndex(named: current.links[index].name) ?? index
            if action == "name", let newName = value, let renamed = state.namespaces[key]?.linkIndex(named: newName) {
                index = renamed
            }
        }
        return .success
    }

    static func linkActionOrder(_ action: String) -> Int {
        switch action {
        case "netns": 0
        case "name": 1
        case "address": 2
        case "mtu": 3
        default: 4
        }
    }
}
