/// `ip link add [dev|name] NAME link LOWER type macvlan [mode MODE] [address MAC]` and
/// `ip link add NAME type veth peer name PEER`, with ip's and the kernel's refusals.
extension CommandInterpreter {
    /// What one `ip link add` gives.
    struct LinkAddArguments {
        var name: String?
        var parent: String?
        var type: String?
        var mode = "vepa"
        var mac: MACAddress?
        var peer: String?
    }

    static let macvlanModes: Set<String> = ["private", "vepa", "bridge", "passthru", "source"]

    mutating func addLink(_ words: [String], key: String) -> CommandOutcome {
        let scope = UnknownScope.aspects([.links, .addresses, .routes], namespace: name(key))
        let arguments: LinkAddArguments
        do {
            arguments = try readLinkAddArguments(words, scope: scope)
        } catch {
            return error.outcome
        }
        guard let linkName = arguments.name, let type = arguments.type else {
            return notModelled("ip link add without name or type", scope: scope)
        }
        guard type == "macvlan" || type == "veth" else { return notModelled("link type \(type)", scope: scope) }
        guard var namespace = state.namespaces[key] else { return .success }
        // The new name first, then a veth's peer name (for each check).
        let names = [linkName] + (arguments.peer.map { [$0] } ?? [])
        for candidate in names where !Names.isValidInterfaceName(candidate) {
            return failure("'\(candidate)' is not a valid interface name", "Error: Attribute failed policy validation.")
        }
        var parentID: Int?
        if type == "macvlan" {
            do {
                parentID = try lowerDevice(arguments.parent, in: namespace, key: key)
            } catch {
                return error.outcome
            }
        }
        if let taken = names.first(where: { namespace.link(named: $0) != nil }) {
            return failure("device \(taken) already exists in \(label(key))", "RTNETLINK answers: File exists")
        }
        let id = state.nextLinkID
        state.nextLinkID += 1
        if let parentID {
            namespace.links.append(
                Link(id: id, name: linkName, kind: .macvlan(parent: parentID, mode: arguments.mode), mac: arguments.mac)
            )
        } else if let peer = arguments.peer {
            let peerID = state.nextLinkID
            state.nextLinkID += 1
            namespace.links.append(Link(id: id, name: linkName, kind: .veth(peer: peerID), mac: arguments.mac))
            namespace.links.append(Link(id: peerID, name: peer, kind: .veth(peer: id)))
        }
        state.namespaces[key] = namespace
        return .success
    }

    /// Reads the words after `add`; a first word that is no keyword is the name.
    func readLinkAddArguments(_ words: [String], scope: UnknownScope) throws(CommandOutcomeBox) -> LinkAddArguments {
        var arguments = LinkAddArguments()
        var cursor = WordCursor(words)
        while let word = cursor.current {
            switch word {
            case "dev", "name":
                arguments.name = cursor.next()
            case "link":
                arguments.parent = cursor.next()
            case "type":
                arguments.type = cursor.next()
                if arguments.type == "veth" {
                    arguments.peer = try readVethPeer(cursor.rest, scope: scope)
                    cursor.finish()
                    continue
                }
            case "mode":
                guard let value = cursor.next(), Self.macvlanModes.contains(value) else {
                    throw CommandOutcomeBox(failure("bad macvlan mode", "Error: argument is wrong: mode", status: 255))
                }
                arguments.mode = value
            case "address":
                guard let value = cursor.next(), let parsed = MACAddress(value) else {
                    throw CommandOutcomeBox(notModelled("link address", scope: scope))
                }
                arguments.mac = parsed
            default:
                guard arguments.name == nil && cursor.index == 0 else {
                    throw CommandOutcomeBox(notModelled("ip link add option '\(word)'", scope: scope))
                }
                arguments.name = word
            }
            cursor.advance()
        }
        return arguments
    }

    /// `peer name PEER`, the only veth options the model knows (and the last words of the line).
    func readVethPeer(_ words: ArraySlice<String>, scope: UnknownScope) throws(CommandOutcomeBox) -> String {
        let rest = Array(words)
        guard rest.count == 3, rest[0] == "peer", rest[1] == "name" else {
            throw CommandOutcomeBox(notModelled("veth options \(rest.joined(separator: " "))", scope: scope))
        }
        return rest[2]
    }

    /// The id of a macvlan's lower device: the device given, or the lower device of a macvlan given (a
    /// macvlan on a macvlan sits on the first one's lower device).
    func lowerDevice(_ parent: String?, in namespace: NamespaceState, key: String) throws(CommandOutcomeBox) -> Int {
        guard let parent else {
            throw CommandOutcomeBox(failure("macvlan needs a lower device", "Error: link is required for macvlan"))
        }
        guard let lower = namespace.link(named: parent) else {
            throw CommandOutcomeBox(
                failure(
                    "device \(parent) does not exist in \(label(key))", "Cannot find device \"\(parent)\"",
                    status: 1, missing: .device(namespace: name(key), name: parent)))
        }
        if case .macvlan(let root, _) = lower.kind { return root }
        return lower.id
    }
}
