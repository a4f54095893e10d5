/// `ip link set [dev] DEVICE [up|down] [address MAC] [name NAME] [netns NAME] [mtu N]`: iproute2 sends one
/// request; the model applies its changes in `LinkChange.order`.
extension CommandInterpreter {
    /// One change an `ip link set` asks for.
    enum LinkChange: Equatable {
        case netns(String)
        case name(String)
        case address(String)
        case mtu
        case up, down

        /// The order the changes are applied in: netns, name, address, mtu, then up/down.
        var order: Int {
            switch self {
            case .netns: 0
            case .name: 1
            case .address: 2
            case .mtu: 3
            case .up, .down: 4
            }
        }
    }

    mutating func setLink(_ words: [String], key: String) -> CommandOutcome {
        let scope = UnknownScope.aspects([.links, .addresses, .routes], namespace: name(key))
        let device: String
        let changes: [LinkChange]
        do {
            (device, changes) = try readLinkChanges(words, scope: scope)
        } catch {
            return error.outcome
        }
        guard let namespace = state.namespaces[key] else { return .success }
        guard let start = namespace.linkIndex(named: device) else {
            return failure(
                "device \(device) does not exist in \(label(key))", "Cannot find device \"\(device)\"", status: 1,
                missing: .device(namespace: name(key), name: device))
        }
        let id = namespace.links[start].id
        for change in changes.sorted(by: { $0.order < $1.order }) {
            guard let index = state.namespaces[key]?.links.firstIndex(where: { $0.id == id }) else { return .success }
            switch change {
            case .netns(let target):
                if let outcome = moveLink(at: index, named: device, to: target, from: key) { return outcome }
            case .name(let newName):
                if let failure = renameLink(at: index, to: newName, key: key) { return failure }
            case .address(let text):
                if let failure = setLinkAddress(at: index, to: text, key: key) { return failure }
            case .mtu:
                continue
            case .up, .down:
                guard let current = state.namespaces[key]?.links[index].name else { continue }
                state.namespaces[key]?.setLink(current, up: change == .up)
            }
        }
        return .success
    }

    /// Reads the device and the changes; an option the model does not know, or one without its value, is
    /// not modelled.
    func readLinkChanges(_ words: [String], scope: UnknownScope) throws(CommandOutcomeBox) -> (String, [LinkChange]) {
        var rest = words[...]
        if rest.first == "dev" { rest = rest.dropFirst() }
        guard let device = rest.first else {
            throw CommandOutcomeBox(notModelled("ip link set without a device", scope: scope))
        }
        rest = rest.dropFirst()
        var changes: [LinkChange] = []
        while let word = rest.first {
            rest = rest.dropFirst()
            switch word {
            case "up": changes.append(.up)
            case "down": changes.append(.down)
            case "address", "netns", "name", "mtu":
                guard let value = rest.first else {
                    throw CommandOutcomeBox(notModelled("ip link set \(word)", scope: scope))
                }
                rest = rest.dropFirst()
                switch word {
                case "address": changes.append(.address(value))
                case "netns": changes.append(.netns(value))
                case "name": changes.append(.name(value))
                default: changes.append(.mtu)
                }
            default:
                throw CommandOutcomeBox(notModelled("ip link set option '\(word)'", scope: scope))
            }
        }
        return (device, changes)
    }

    /// `netns TARGET`: the interface leaves for another namespace (down, without addresses), and nothing
    /// else of the command is applied. Nil when there is nothing to do (the namespace it is in).
    mutating func moveLink(at index: Int, named device: String, to target: String, from key: String)
        -> CommandOutcome?
    {
        if Int(target) != nil { return notModelled("ip link set netns PID", scope: .everything) }
        guard state.namespaces[target] != nil || state.unknown.contains(.namespaces) else {
            return failure(
                "netns \(target) does not exist", "Error: argument \"\(target)\" is wrong: Invalid \"netns\" value",
                status: 255, missing: .namespace(target))
        }
        if state.namespaces[target] == nil {
            state.namespaces[target] = NamespaceState(
                name: target, tablesKnown: false, unknown: Set(StateAspect.allCases))
        }
        if state.namespaces[target]?.link(named: device) != nil {
            return failure("netns \(target) already has a device \(device)", "RTNETLINK answers: File exists")
        }
        if target == key { return nil }
        guard let moved = state.namespaces[key]?.detachLink(at: index) else { return nil }
        state.namespaces[target]?.links.append(moved)
        return .success
    }

    /// `name NEW`: refused when not a valid name or taken by another interface. Nil when renamed.
    mutating func renameLink(at index: Int, to newName: String, key: String) -> CommandOutcome? {
        guard let current = state.namespaces[key] else { return nil }
        if !Names.isValidInterfaceName(newName) {
            return failure(
                "'\(newName)' is not a valid interface name", "Error: argument is wrong: \"name\" not a valid ifname",
                status: 255)
        }
        if current.link(named: newName) != nil && newName != current.links[index].name {
            return failure("device \(newName) already exists in \(label(key))", "RTNETLINK answers: File exists")
        }
        state.namespaces[key]?.renameLink(at: index, to: newName)
        return nil
    }

    /// `address MAC`: refused when not a MAC, multicast, or the MAC of the macvlan's lower device. Nil when
    /// set.
    mutating func setLinkAddress(at index: Int, to text: String, key: String) -> CommandOutcome? {
        guard let current = state.namespaces[key] else { return nil }
        guard let mac = MACAddress(text) else {
            return failure("bad MAC \(text)", "Error: argument is wrong: \"address\" value is invalid", status: 255)
        }
        if mac.isMulticast {
            return failure("\(mac) is a multicast MAC", "RTNETLINK answers: Cannot assign requested address")
        }
        if case .macvlan(let parent, _) = current.links[index].kind, let location = state.location(ofLink: parent),
            state.namespaces[location.namespace]?.links[location.index].mac == mac
        {
            return failure(
                "\(mac) is the MAC of the macvlan's lower device", "RTNETLINK answers: Address already in use")
        }
        state.namespaces[key]?.links[index].mac = mac
        return nil
    }
}
