/// The parts of a node one command could change, read from its words without running it.
struct CommandFootprint {
    var aspects: [String: Set<StateAspect>] = [:]
    var sysctls: [String: Set<String>] = [:]
    /// Per namespace key, the iptables tables the commands name; `anyTable` when one could touch any.
    var iptablesTables: [String: Set<String>] = [:]
    var node: Set<NodeAspect> = []
    var everything = false

    /// Stands for "any table" in `iptablesTables` (no table is named `*`).
    static let anyTable = "*"

    static func of(_ text: String, namespace: String?, state: NodeState) -> CommandFootprint {
        var footprint = CommandFootprint()
        guard let list = ShellList.parse(text) else {
            footprint.everything = true
            return footprint
        }
        for item in list.items {
            for stage in item.pipeline.stages {
                if let subshell = stage.subshell {
                    for inner in subshell.items {
                        for command in inner.pipeline.stages { footprint.add(command, namespace: namespace) }
                    }
                }
                footprint.add(stage, namespace: namespace)
            }
        }
        return footprint
    }

    mutating func add(_ command: SimpleCommand, namespace: String?) {
        for redirection in command.redirections where !redirection.isHarmless {
            if redirection.target == CommandInterpreter.rtTablesPath {
                node.insert(.rtTables)
            } else if redirection.target.hasPrefix("/proc/sys/") {
                let name = redirection.target.dropFirst("/proc/sys/".count).replacingOccurrences(of: "/", with: ".")
                sysctls[NodeState.key(namespace), default: []].insert(name)
            } else {
                everything = true
            }
        }
        add(words: command.words, namespace: namespace)
    }

    mutating func add(words: [String], namespace: String?) {
        var words = words
        while let first = words.first, first.contains("="), !first.hasPrefix("=") { words.removeFirst() }
        if words.first == "sudo" { words.removeFirst() }
        guard let program = words.first else { return }
        let key = NodeState.key(namespace)
        switch program {
        case "ip":
            var rest = Array(words.dropFirst())
            var target = namespace
            while let option = rest.first, option.hasPrefix("-") {
                rest.removeFirst()
                if option == "-n" || option == "-netns" || option == "--netns", let value = rest.first {
                    target = value
                    rest.removeFirst()
                } else if option == "-f" || option == "-family" {
                    if !rest.isEmpty { rest.removeFirst() }
                } else if option == "-b" || option == "-batch" {
                    everything = true
                }
            }
            guard let objectWord = rest.first else { return }
            let object = CommandInterpreter.ipObjects.first { CommandInterpreter.matches(objectWord, $0) } ?? objectWord
            let verb = rest.count > 1 ? rest[1] : "show"
            if CommandInterpreter.isReadOnlyIP(["ip"] + rest) { return }
            let targetKey = NodeState.key(target)
            switch object {
            case "route": aspects[targetKey, default: []].insert(.routes)
            case "rule": aspects[targetKey, default: []].insert(.rules)
            case "address": aspects[targetKey, default: []].formUnion([.addresses, .routes])
            case "link":
                aspects[targetKey, default: []].formUnion([.links, .addresses, .routes])
                if let index = rest.firstIndex(of: "netns"), index + 1 < rest.count {
                    aspects[rest[index + 1], default: []].formUnion([.links, .addresses])
                }
            case "netns":
                if CommandInterpreter.matches(verb, "exec"), rest.count > 3 {
                    add(words: Array(rest.dropFirst(3)), namespace: rest[2])
                } else if CommandInterpreter.matches(verb, "add") || CommandInterpreter.matches(verb, "delete") {
                    node.insert(.namespaces)
                }
            case "neighbor", "neighbour": return
            default: everything = true
            }
        case "iptables", "iptables-nft", "iptables-legacy":
            aspects[key, default: []].insert(.iptables)
            let table = CommandInterpreter.IptablesCommand(Array(words.dropFirst()))?.table
            let known = table.map { IptablesState.builtinChains[$0] != nil } ?? false
            iptablesTables[key, default: []].insert(known ? table ?? Self.anyTable : Self.anyTable)
        case "nft":
            if !CommandInterpreter.isReadOnlyNft(words) {
                aspects[key, default: []].insert(.iptables)
                iptablesTables[key, default: []].insert(Self.anyTable)
            }
        case "sysctl":
            for word in words.dropFirst() where word.contains("=") {
                let name = CommandInterpreter.normalise(String(word.prefix { $0 != "=" }))
                sysctls[key, default: []].insert(name)
                if name == "net.ipv4.ip_forward" || name == "net.ipv4.conf.all.forwarding" {
                    sysctls[key, default: []].formUnion(["net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding"])
                }
            }
        case "sed", "tee":
            if words.contains(CommandInterpreter.rtTablesPath) {
                node.insert(.rtTables)
            } else if program == "sed" && words.contains("-i") {
                everything = true
            }
        default:
            if !CommandInterpreter.harmlessPrograms.contains(program) { everything = true }
        }
    }
}
