/// `ip link set [dev] DEVICE [up|down] [address MAC] [name NAME] [netns NAME] [mtu N]`. ip refuses a bad
/// name, MAC or namespace while reading the words (in their order), then looks the device up, then sends
/// one request, which the kernel applies in `LinkChange.order` (`do_setlink`), stopping at the first change
/// it refuses; the changes before it stay.
extension CommandInterpreter {
    /// One change an `ip link set` asks for, as ip has read it.
    enum LinkChange: Equatable {
        case netns(String)
        case address(MACAddress)
        case mtu
        case name(String)
        case up, down

        /// The kernel's order: the namespace, the MAC, the MTU, the name, then up or down.
        var order: Int {
            switch self {
            case .netns: 0
            case .address: 1
            case .mtu: 2
            case .name: 3
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
        let newName = changes.lazy.compactMap { if case .name(let name) = $0 { name } else { nil } }.first
        // The namespace the interface is in: a move changes it for the changes after it.
        var key = key
        for change in changes.sorted(by: { $0.order < $1.order }) {
            guard let index = state.namespaces[key]?.links.firstIndex(where: { $0.id == id }) else { return .success }
            switch change {
            case .netns(let target):
                do {
                    key = try moveLink(at: index, from: key, to: target, newName: newName)
                } catch {
                    return error.outcome
                }
            case .address(let mac):
                if let failure = setLinkAddress(at: index, to: mac, key: key) { return failure }
            case .mtu:
                continue
            case .name(let newName):
                if let failure = renameLink(at: index, to: newName, key: key) { return failure }
            case .up, .down:
                guard let current = state.namespaces[key]?.links[index].name else { continue }
                state.namespaces[key]?.setLink(current, up: change == .up)
            }
        }
        return .success
    }

    /// Reads the device and the changes, refusing what ip refuses before sending anything (an invalid name,
    /// a MAC it cannot read, a namespace that does not exist); an option the model does not know, or one
    /// without its value, is not modelled.
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
                changes.append(try readLinkChange(word, value))
            default:
                throw CommandOutcomeBox(notModelled("ip link set option '\(word)'", scope: scope))
            }
        }
        return (device, changes)
    }

    /// `address MAC`, `netns NAME`, `name NAME` or `mtu N`, checked as ip checks them.
    func readLinkChange(_ word: String, _ value: String) throws(CommandOutcomeBox) -> LinkChange {
        switch word {
        case "address":
            guard let mac = MACAddress(value) else {
                throw CommandOutcomeBox(
                    failure("bad MAC \(value)", "\"\(value)\" is invalid lladdr.", status: 1))
            }
            return .address(mac)
        case "netns":
            // A number is a process id, which ip passes on as it is.
            guard Int(value) != nil || state.namespaces[value] != nil || state.unknown.contains(.namespaces) else {
                throw CommandOutcomeBox(
                    failure(
                        "netns \(value) does not exist",
                        "Error: argument \"\(value)\" is wrong: Invalid \"netns\" value", status: 255,
                        missing: .namespace(value)))
            }
            return .netns(value)
        case "name":
            guard Names.isValidInterfaceName(value) else {
                throw CommandOutcomeBox(
                    failure(
                        "'\(value)' is not a valid interface name",
                        "Error: argument \"\(value)\" is wrong: \"name\" not a valid ifname", status: 255))
            }
            return .name(value)
        default:
            return .mtu
        }
    }

    /// `netns TARGET` (`__dev_change_net_namespace`): the interface leaves for TARGET, down and without its
    /// addresses, under the new name of the same command when its own name is taken there. Loopback cannot
    /// move; a move to the namespace it is in does nothing; a process id is not modelled. Returns the
    /// namespace the interface is in afterwards.
    mutating func moveLink(at index: Int, from key: String, to target: String, newName: String?)
        throws(CommandOutcomeBox) -> String
    {
        if Int(target) != nil { throw CommandOutcomeBox(notModelled("ip link set netns PID", scope: .everything)) }
        guard let link = state.namespaces[key]?.links[index] else { return key }
        if link.isLoopback {
            throw CommandOutcomeBox(
                failure("lo cannot leave its namespace", "Error: The interface netns is immutable."))
        }
        if target == key { return key }
        if state.namespaces[target] == nil {
            state.namespaces[target] = NamespaceState(
                name: target, tablesKnown: false, unknown: Set(StateAspect.allCases))
        }
        var name = link.name
        if state.namespaces[target]?.link(named: link.name) != nil {
            guard let newName, state.namespaces[target]?.link(named: newName) == nil else {
                throw CommandOutcomeBox(
                    failure("netns \(target) already has a device \(link.name)", "RTNETLINK answers: File exists"))
            }
            name = newName
        }
        guard var moved = state.namespaces[key]?.detachLink(at: index) else { return key }
        moved.name = name
        state.namespaces[target]?.links.append(moved)
        return target
    }

    /// `name NEW`: refused when another interface of the namespace has it. Nil when renamed.
    mutating func renameLink(at index: Int, to newName: String, key: String) -> CommandOutcome? {
        guard let current = state.namespaces[key] else { return nil }
        if current.link(named: newName) != nil && newName != current.links[index].name {
            return failure("device \(newName) already exists in \(label(key))", "RTNETLINK answers: File exists")
        }
        state.namespaces[key]?.renameLink(at: index, to: newName)
        return nil
    }

    /// `address MAC`: refused when multicast, or the MAC of the macvlan's lower device. Nil when set.
    mutating func setLinkAddress(at index: Int, to mac: MACAddress, key: String) -> CommandOutcome? {
        guard let current = state.namespaces[key] else { return nil }
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
