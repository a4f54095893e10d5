/// `ip` (iproute2 6.1): global options, object names matched as iproute2 matches them (a prefix of the
/// object name, first match in iproute2's order), and dispatch to the objects the model knows.
extension CommandInterpreter {
    static let ipObjects = [
        "address", "addrlabel", "maddress", "route", "rule", "neighbor", "neighbour", "ntable", "ntbl", "link",
        "l2tp", "fou", "ila", "macsec", "tunnel", "tunl", "tuntap", "tap", "token", "tcpmetrics", "tcp_metrics",
        "monitor", "xfrm", "mroute", "mrule", "netns", "netconf", "vrf", "sr", "nexthop", "mptcp", "ioam", "stats",
    ]

    /// iproute2's `matches(word, pattern)`: the word is a non-empty prefix of the pattern.
    static func matches(_ word: String, _ pattern: String) -> Bool { !word.isEmpty && pattern.hasPrefix(word) }

    mutating func runIP(_ words: [String], namespace: String?) -> CommandOutcome {
        var arguments = words[...]
        var namespace = namespace
        while let option = arguments.first, option.hasPrefix("-"), option.count > 1 {
            arguments = arguments.dropFirst()
            let name = option.hasPrefix("--") ? String(option.dropFirst()) : option
            switch name {
            case "-n", "-netns":
                guard let value = arguments.first else {
                    return failure("ip -n needs a namespace", "Option \"-n\" requires an argument", status: 255)
                }
                arguments = arguments.dropFirst()
                namespace = value
            case "-4": continue
            case "-6": return notModelled("IPv6 (ip -6)", scope: .nothing)
            case "-f", "-family":
                guard let value = arguments.first else { return notModelled("ip \(option)", scope: .nothing) }
                arguments = arguments.dropFirst()
                if value != "inet" { return notModelled("ip -family \(value)", scope: .nothing) }
            case "-b", "-batch", "-force":
                return notModelled("ip \(option) (commands from a file)", scope: .everything)
            default:
                let ignored = [
                    "-j", "-json", "-p", "-pretty", "-d", "-details", "-s", "-stats", "-statistics", "-o", "-oneline",
                    "-br", "-brief", "-c", "-color", "-N", "-r", "-resolve", "-a", "-all", "-t", "-timestamp", "-ts",
                    "-tshort", "-h", "-human", "-iec", "-0", "-l", "-loops",
                ]
                if !ignored.contains(name) && !name.hasPrefix("-color=") && !name.hasPrefix("-c=") {
                    return notModelled("ip option \(option)", scope: .nothing)
                }
            }
        }
        guard let objectWord = arguments.first else { return .success }
        let rest = Array(arguments.dropFirst())
        let object = Self.ipObjects.first { Self.matches(objectWord, $0) } ?? objectWord
        if object == "netns" { return runNetns(rest, namespace: namespace) }
        let key: String
        switch enter(namespace) {
        case .success(let value): key = value
        case .failure(let failure): return .failure(failure)
        }
        switch object {
        case "route": return runRoute(rest, key: key)
        case "rule": return runRule(rest, key: key)
        case "address": return runAddress(rest, key: key)
        case "link": return runLink(rest, key: key)
        case "neighbor", "neighbour", "ntable", "ntbl", "monitor", "netconf", "stats", "maddress", "addrlabel",
            "tcpmetrics", "tcp_metrics", "mroute":
            if rest.isEmpty || ["show", "list", "lst", "ls", "get"].contains(where: { Self.matches(rest[0], $0) }) {
                return .success
            }
            return notModelled("ip \(object) \(rest.first ?? "")", scope: .nothing)
        default:
            return notModelled(
                "ip \(object)", scope: .aspects(Set(StateAspect.allCases), namespace: state.namespaces[key]?.name))
        }
    }

    /// `ip netns add|del|exec|list`.
    mutating func runNetns(_ words: [String], namespace: String?) -> CommandOutcome {
        guard let verb = words.first else { return .success }
        let rest = Array(words.dropFirst())
        if ["list", "show", "lst", "list-id", "identify", "pids", "monitor"].contains(where: { Self.matches(verb, $0) })
        {
            return .success
        }
        if Self.matches(verb, "add") {
            guard rest.count == 1, let name = rest.first else {
                return notModelled("ip netns add with extra arguments", scope: .node([.namespaces]))
            }
            guard Names.isValidNamespaceName(name) else {
                return failure("'\(name)' is not a valid namespace name", "Invalid netns name \"\(name)\"", status: 1)
            }
            if state.unknown.contains(.namespaces) && state.namespaces[name] == nil {
                state.makeNamespace(name)
                return .success
            }
            if state.namespaces[name] != nil {
                return failure(
                    "netns \(name) already exists", "Cannot create namespace file \"/run/netns/\(name)\": File exists",
                    status: 1)
            }
            state.makeNamespace(name)
            return .success
        }
        if Self.matches(verb, "delete") {
            guard rest.count == 1, let name = rest.first, name != "-all" else {
                return notModelled("ip netns delete \(rest.joined(separator: " "))", scope: .everything)
            }
            guard let removed = state.namespaces[name] else {
                if state.unknown.contains(.namespaces) { return .success }
                return failure(
                    "netns \(name) does not exist",
                    "Cannot remove namespace file \"/run/netns/\(name)\": No such file or directory", status: 1,
                    missing: .namespace(name))
            }
            state.namespaces[name] = nil
            // Its interfaces are destroyed, and what the kernel destroys with them elsewhere.
            destroyDependents(of: removed.links)
            return .success
        }
        if Self.matches(verb, "exec") {
            guard let name = rest.first, rest.count >= 2 else {
                return notModelled("ip netns exec without a command", scope: .nothing)
            }
            switch enter(name) {
            case .failure(let failure): return .failure(failure)
            case .success: break
            }
            _ = namespace
            return run(
                SimpleCommand(words: Array(rest.dropFirst()), redirections: [], subshell: nil), namespace: name,
                input: nil)
        }
        return notModelled("ip netns \(verb)", scope: .node([.namespaces]))
    }

    /// Deletes macvlans (in any namespace) whose lower device is one of `ids`, recursively.
    mutating func removeMacvlans(onTopOf ids: Set<Int>) {
        var dead = ids
        var changed = true
        while changed {
            changed = false
            for key in state.namespaces.keys {
                guard var namespace = state.namespaces[key] else { continue }
                while let index = namespace.links.firstIndex(where: {
                    if case .macvlan(let parent, _) = $0.kind {
                        dead.contains(parent) && !dead.contains($0.id)
                    } else {
                        false
                    }
                }) {
                    dead.insert(namespace.links[index].id)
                    _ = namespace.detachLink(at: index)
                    changed = true
                }
                state.namespaces[key] = namespace
            }
        }
    }

    /// Resolves `table NAME` through the node's rt_tables, as `ip` does at start.
    func resolveTable(_ name: String) -> UInt32? {
        state.rtTables.tableID(named: name)
    }

    func describe(table: UInt32) -> String { "table " + state.rtTables.describe(table: table) }

    func label(_ key: String) -> String {
        state.namespaces[key]?.label ?? (key.isEmpty ? "the default namespace" : "netns \(key)")
    }

    func name(_ key: String) -> String? { key.isEmpty ? nil : key }
}
