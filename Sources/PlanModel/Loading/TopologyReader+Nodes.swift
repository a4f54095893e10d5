import OrderedCollections
import Yams

/// Settings in `defaults` that every node inherits unless it overrides them.
struct NodeDefaults {
    var assignAddresses = true
    var ssh: SSHSettings?
    var sshKeys: Set<String> = []
    var become: Become?
}

extension TopologyReader {
    static let nodeKeys = ["alias", "aliases", "interfaces", "ssh", "assign_addresses", "become", "member"]
    static let interfaceKeys = ["mac", "addresses", "assign_addresses"]
    static let sshKeys = [
        "host", "port", "user", "identity_file", "known_hosts", "host_key_alias", "proxy_command", "passphrase_env",
        "accept_new_host_keys", "agent", "config", "netns", "connect_timeout", "keepalive",
    ]

    mutating func readDefaults(_ node: Yams.Node) -> NodeDefaults {
        var defaults = NodeDefaults()
        guard let entries = walker.mapping(node, "'defaults'") else { return defaults }
        walker.rejectUnknownKeys(entries, allowed: ["assign_addresses", "ssh", "become"], in: "'defaults'")
        for entry in entries {
            switch entry.key {
            case "assign_addresses":
                defaults.assignAddresses = walker.bool(entry.value, "'assign_addresses'") ?? true
            case "ssh":
                if let (settings, keys) = readSSH(entry.value, base: SSHSettings(), what: "'defaults.ssh'") {
                    defaults.ssh = settings
                    defaults.sshKeys = keys
                }
            case "become": defaults.become = readBecome(entry.value, what: "'defaults.become'")
            default: break
            }
        }
        return defaults
    }

    mutating func readNode(_ entry: YAMLEntry, name: NodeName, defaults: NodeDefaults) -> TopologyNode? {
        let what = "node '\(entry.key)'"
        var node = TopologyNode(name: name, ssh: defaults.ssh, location: walker.location(of: entry.keyNode))
        node.become = defaults.become
        // `alfa:` with nothing after it is a node with no settings.
        if case .scalar(let scalar) = entry.value, scalar.string.isEmpty || scalar.string == "~" { return node }
        guard let entries = walker.mapping(entry.value, what) else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.nodeKeys, in: what)
        var assignAddresses = defaults.assignAddresses
        if let flag = entries.first(where: { $0.key == "assign_addresses" }) {
            assignAddresses = walker.bool(flag.value, "'assign_addresses'") ?? assignAddresses
        }
        for field in entries {
            switch field.key {
            case "alias", "aliases":
                for (alias, aliasNode) in walker.strings(field.value, "'\(field.key)'") ?? [] {
                    addAlias(alias, of: entry.key, at: aliasNode, into: &node)
                }
            case "interfaces":
                node.interfaces = readInterfaces(field.value, node: entry.key, assignAddresses: assignAddresses)
            case "ssh":
                if let (settings, keys) = readSSH(
                    field.value, base: defaults.ssh ?? SSHSettings(), what: "'ssh' of \(what)")
                {
                    node.ssh = settings
                    if keys.isDisjoint(with: ["host", "proxy_command", "config"])
                        && defaults.sshKeys.isDisjoint(with: ["host", "proxy_command", "config"])
                    {
                        walker.error(
                            .missingKey, "'ssh' of \(what) has neither 'host' nor 'proxy_command' nor 'config'",
                            at: field.keyNode, hint: "add 'host: <address or name>' (or a 'proxy_command')")
                    }
                }
            case "become": node.become = readBecome(field.value, what: "'become' of \(what)")
            case "member": readMember(field.value, into: &node)
            default: break
            }
        }
        if let ssh = node.ssh, ssh.host == nil, ssh.proxyCommand == nil, ssh.configFile == nil { node.ssh = nil }
        return node
    }

    /// `member: 2` (1-based), or `member: NAME` (a member of a user's LXD cluster as `lxc cluster list` names it).
    private mutating func readMember(_ value: Yams.Node, into node: inout TopologyNode) {
        node.memberLocation = walker.location(of: value)
        guard let text = walker.nonEmptyString(value, "'member'") else { return }
        if text.first?.isNumber == true {
            node.member = walker.int(value, "'member'", range: 1...99)
        } else if text.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) || "-_.".unicodeScalars.contains($0) })
        {
            node.memberName = text
        } else {
            walker.error(
                .invalidValue, "'\(text)' is neither a member number nor a member name", at: value,
                hint: "write the 1-based number of the member, or its name as `lxc cluster list` shows it")
        }
    }

    private mutating func addAlias(
        _ alias: String, of owner: String, at aliasNode: Yams.Node, into node: inout TopologyNode
    ) {
        guard !alias.isEmpty, !alias.contains(where: \.isWhitespace) else {
            walker.error(
                .invalidValue, "alias '\(alias)' is empty or contains spaces", at: aliasNode,
                hint: "write the name as the documentation does, e.g. 𝛼 or alpha")
            return
        }
        if let previous = aliasOwners[alias] {
            walker.error(
                .duplicate, "alias '\(alias)' is already used by node '\(previous.owner)'", at: aliasNode,
                hint: "an alias must name one system only")
            return
        }
        aliasOwners[alias] = (owner, aliasNode)
        node.aliases.append(alias)
    }

    private mutating func readInterfaces(
        _ value: Yams.Node, node: String, assignAddresses: Bool
    ) -> OrderedDictionary<String, TopologyInterface> {
        var result: OrderedDictionary<String, TopologyInterface> = [:]
        guard let entries = walker.mapping(value, "'interfaces' of node '\(node)'") else { return result }
        for entry in entries {
            guard Names.isValidInterfaceName(entry.key) && entry.key != "lo" else {
                walker.error(
                    .invalidValue, Self.interfaceNameProblem(entry.key), at: entry.keyNode,
                    hint: "Linux interface names are 1–15 bytes of letters, digits, '_', '.', '-' (and not 'lo')")
                continue
            }
            var interface = TopologyInterface(name: entry.key, assignAddresses: assignAddresses)
            let what = "interface '\(node):\(entry.key)'"
            if case .scalar(let scalar) = entry.value, scalar.string.isEmpty || scalar.string == "~" {
                result[entry.key] = interface
                continue
            }
            guard let fields = walker.mapping(entry.value, what) else { continue }
            walker.rejectUnknownKeys(fields, allowed: Self.interfaceKeys, in: what)
            for field in fields {
                switch field.key {
                case "mac": interface.mac = readMAC(field.value, owner: "\(node):\(entry.key)")
                case "addresses":
                    for (text, itemNode) in walker.strings(field.value, "'addresses' of \(what)") ?? [] {
                        if let prefix = IPPrefix(text) {
                            interface.addresses.append(prefix)
                        } else {
                            walker.error(
                                .invalidValue, "'\(text)' is not an IP address or prefix", at: itemNode,
                                hint: "write an address such as 169.254.69.30 or 10.0.0.1/24")
                        }
                    }
                case "assign_addresses":
                    interface.assignAddresses = walker.bool(field.value, "'assign_addresses'") ?? assignAddresses
                default: break
                }
            }
            result[entry.key] = interface
        }
        return result
    }

    static func interfaceNameProblem(_ name: String) -> String {
        if name.utf8.count > 15 {
            return "interface name '\(name)' is \(name.utf8.count) bytes long; Linux allows at most 15"
        }
        if name == "lo" { return "'lo' exists in every node already and cannot be declared" }
        return "interface name '\(name)' is not usable"
    }

    private mutating func readMAC(_ value: Yams.Node, owner: String) -> MACAddress? {
        guard let text = walker.string(value, "'mac'") else { return nil }
        guard let mac = MACAddress(text) else {
            walker.error(
                .invalidValue, "'\(text)' is not a MAC address", at: value,
                hint: "write six hex pairs separated by ':', e.g. 00:16:3E:FD:E2:AA")
            return nil
        }
        guard !mac.isMulticast else {
            walker.error(
                .invalidValue, "MAC \(mac) is a multicast address and cannot belong to an interface", at: value,
                hint: "use a unicast MAC: the lowest bit of the first octet must be 0 (e.g. 02:…)")
            return nil
        }
        if let owner2 = macOwners[mac] {
            walker.error(
                .duplicate, "MAC \(mac) is already used by \(owner2)", at: value,
                hint: "every interface on the same segments needs its own MAC")
            return nil
        }
        macOwners[mac] = owner
        return mac
    }
}
