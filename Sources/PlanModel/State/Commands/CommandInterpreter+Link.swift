/// `ip link add|set|delete` for macvlans and veth pairs (and up/down, MAC, name and namespace of any
/// interface): adding in `CommandInterpreter+LinkAdd`, setting in `CommandInterpreter+LinkSet`.
extension CommandInterpreter {
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
        if Self.matches(verb, "delete") { return deleteLink(Array(words.dropFirst()), key: key, scope: scope) }
        if Self.matches(verb, "set") { return setLink(Array(words.dropFirst()), key: key) }
        return notModelled("ip link \(verb)", scope: scope)
    }

    /// `ip link delete [dev] NAME [type TYPE]`: the interface goes, with its veth peer and the macvlans on
    /// top of either.
    mutating func deleteLink(_ words: [String], key: String, scope: UnknownScope) -> CommandOutcome {
        var rest = words
        if rest.first == "dev" { rest.removeFirst() }
        guard let device = rest.first, rest.count == 1 || (rest.count == 3 && rest[1] == "type") else {
            return notModelled("ip link delete \(rest.joined(separator: " "))", scope: scope)
        }
        guard let namespace = state.namespaces[key] else { return .success }
        guard let index = namespace.linkIndex(named: device) else {
            return failure(
                "device \(device) does not exist in \(label(key))", "Cannot find device \"\(device)\"", status: 1,
                missing: .device(namespace: name(key), name: device))
        }
        if namespace.links[index].isLoopback {
            return failure("lo cannot be deleted", "RTNETLINK answers: Operation not supported")
        }
        if let removed = state.namespaces[key]?.detachLink(at: index) { destroyDependents(of: [removed]) }
        return .success
    }

    /// What the kernel destroys with interfaces that are gone: their veth peers, wherever they are, and the
    /// macvlans on top of any of them (or of those macvlans).
    mutating func destroyDependents(of removed: [Link]) {
        var dead = Set(removed.map(\.id))
        for link in removed {
            if case .veth(let peer?) = link.kind, let location = state.location(ofLink: peer) {
                state.apply(kernel: location.namespace) { _ = $0.detachLink(at: location.index) }
                dead.insert(peer)
            }
        }
        removeMacvlans(onTopOf: dead)
    }
}
