import OrderedCollections
import Yams

extension TopologyReader {
    static let providerKeys = ["kind", "members", "management", "memory", "image", "endpoint"]

    /// `provider: lxd`, or `provider: {kind: lxd, members: 2, management: 10.0.0.1/24}`, or
    /// `{kind: qemu, memory: 512}`, or `{kind: lxd, endpoint: {…}}` for a daemon the user runs.
    mutating func readProvider(_ value: Yams.Node) -> LabProvider? {
        if case .scalar = value {
            return readProviderKind(value).map { LabProvider(kind: $0) }
        }
        guard let entries = walker.mapping(value, "'provider'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.providerKeys, in: "'provider'")
        guard let kindEntry = entries.first(where: { $0.key == "kind" }) else {
            walker.error(
                .missingKey, "'provider' has no 'kind'", at: value, hint: "write kind: lxd, qemu or namespaces")
            return nil
        }
        guard let kind = readProviderKind(kindEntry.value) else { return nil }
        var provider = LabProvider(kind: kind)
        for entry in entries {
            switch entry.key {
            case "members":
                provider.members = walker.int(entry.value, "'members'", range: 1...9) ?? 1
                if kind != .lxd {
                    walker.error(
                        .invalidValue, "'members' applies to the lxd provider only", at: entry.keyNode,
                        hint: "remove it, or write kind: lxd")
                }
            case "management": provider.managementNetwork = readManagement(entry.value, kind: kind)
            case "memory": provider.memoryMiB = walker.int(entry.value, "'memory'", range: 128...65536) ?? 512
            case "image": provider.image = walker.nonEmptyString(entry.value, "'image'")
            case "endpoint":
                guard kind == .lxd else {
                    walker.error(
                        .invalidValue, "'endpoint' applies to the lxd provider only", at: entry.keyNode,
                        hint: "remove it, or write kind: lxd")
                    continue
                }
                provider.endpoint = readEndpoint(entry.value)
            default: break
            }
        }
        if kind == .lxd, entries.contains(where: { $0.key == "endpoint" }),
            let members = entries.first(where: { $0.key == "members" })
        {
            walker.error(
                .invalidValue,
                "'members' cannot go with 'endpoint': a user's LXD cluster has the members it has",
                at: members.keyNode,
                hint:
                    "remove 'members': on a clustered endpoint the nodes spread over its members (or by their member:)")
        }
        return provider
    }

    private mutating func readProviderKind(_ value: Yams.Node) -> LabProvider.Kind? {
        guard let text = walker.nonEmptyString(value, "'provider'") else { return nil }
        guard let kind = LabProvider.Kind(rawValue: text) else {
            walker.error(
                .invalidValue, "'\(text)' is not a lab provider", at: value,
                hint: "write namespaces (the default), lxd or qemu")
            return nil
        }
        return kind
    }

    private mutating func readManagement(_ value: Yams.Node, kind: LabProvider.Kind) -> IPPrefix? {
        guard let text = walker.nonEmptyString(value, "'management'") else { return nil }
        guard kind == .lxd else {
            walker.error(
                .invalidValue, "'management' applies to the lxd provider only", at: value,
                hint: "QEMU's management network is user-mode networking with restrict=on; remove the key")
            return nil
        }
        guard let prefix = IPPrefix(text), text.contains("/"), prefix.length >= 16, prefix.length <= 29,
            prefix.address != prefix.network.address
        else {
            walker.error(
                .invalidValue, "'\(text)' is not a gateway address with a prefix of /16 to /29", at: value,
                hint: "write the bridge's address and prefix, e.g. 169.254.201.1/24")
            return nil
        }
        return prefix
    }

    /// `become: sudo`, or `become: {method: sudo, password_env: NAME}`.
    mutating func readBecome(_ value: Yams.Node, what: String) -> Become? {
        if case .scalar = value {
            guard let text = walker.nonEmptyString(value, what) else { return nil }
            guard text == "sudo" else {
                walker.error(.invalidValue, "'\(text)' is not a way to become root", at: value, hint: "write sudo")
                return nil
            }
            return Become()
        }
        guard let entries = walker.mapping(value, what) else { return nil }
        walker.rejectUnknownKeys(entries, allowed: ["method", "password_env"], in: what)
        var become = Become()
        for entry in entries {
            switch entry.key {
            case "method":
                if let text = walker.nonEmptyString(entry.value, "'method'"), text != "sudo" {
                    walker.error(
                        .invalidValue, "'\(text)' is not a way to become root", at: entry.value, hint: "write sudo")
                }
            case "password_env":
                guard let name = walker.nonEmptyString(entry.value, "'password_env'") else { continue }
                if name.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) || $0 == "_" }) {
                    become.passwordEnvironmentVariable = name
                } else {
                    walker.error(
                        .invalidValue, "'\(name)' is not an environment variable name", at: entry.value,
                        hint: "use letters, digits and '_', e.g. TESTBED_SUDO_PASSWORD")
                }
            default: break
            }
        }
        return become
    }

    /// A provider lab builds its nodes: no node may name an SSH endpoint, members must exist, and `become`
    /// belongs to nodes reached over SSH.
    mutating func checkProvider(
        _ provider: LabProvider?, entry: YAMLEntry?, nodes: OrderedDictionary<NodeName, TopologyNode>,
        nodesEntry: YAMLEntry
    ) {
        let kind = provider?.kind ?? .namespaces
        if let entry, kind != .namespaces {
            let remote = nodes.values.filter { $0.ssh != nil }.map(\.name.rawValue)
            if !remote.isEmpty {
                walker.error(
                    .invalidValue,
                    "the \(kind.rawValue) provider builds its nodes, but \(remote.joined(separator: ", ")) name SSH endpoints",
                    at: entry.keyNode,
                    hint: "remove the 'ssh' sections (testbed reaches provider nodes itself), or remove 'provider'")
            }
        }
        let members = kind == .lxd ? provider?.members ?? 1 : 0
        // A user's endpoint is asked for its members at `lab up`, where the placement is checked.
        let isEndpoint = kind == .lxd && provider?.endpoint != nil
        for node in nodes.values where !isEndpoint {
            if let name = node.memberName {
                nodeError(
                    node, "node '\(node.name)' names member '\(name)', but only a user's LXD cluster has named members",
                    hint: kind == .lxd ? "use a number from 1 to \(members)" : "remove 'member'")
            }
            if let member = node.member, member > members {
                nodeError(
                    node,
                    kind == .lxd
                        ? "node '\(node.name)' is placed on member \(member), but the lab has \(members)"
                        : "node '\(node.name)' names a member, which only the lxd provider has",
                    hint: kind == .lxd ? "use 1 to \(members), or raise provider.members" : "remove 'member'")
            }
        }
        for node in nodes.values {
            if node.become != nil, node.ssh == nil, !nodes.values.contains(where: { $0.ssh != nil }) {
                nodeError(
                    node, "node '\(node.name)' has 'become' but is not reached over SSH",
                    hint: "lab nodes run the agent as root already; remove 'become'")
            }
        }
    }

    private mutating func nodeError(_ node: TopologyNode, _ message: String, hint: String) {
        walker.append(
            walker.source.error(
                .invalidValue, message, line: node.location.line, column: node.location.column, hint: hint))
    }
}
