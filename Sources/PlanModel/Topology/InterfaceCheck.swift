/// The network cards a plan uses that its topology does not give the node: a page written for another wiring
/// (λ reaching ρ over `eth2`) cannot run there, and saying so before connecting beats a failure half-way.
public enum InterfaceCheck {
    /// One use of a card the node does not have.
    public struct Missing: Sendable, Hashable {
        public var node: NodeName
        public var interface: String
        public var command: String
        public var location: InputLocation
    }

    /// Each (node, card) the plan uses in a node's default namespace that the topology lacks and the plan does
    /// not create itself, at its first use.
    public static func missing(in plan: Plan, topology: Topology) -> [Missing] {
        var found: [Missing] = []
        var seen: Set<String> = []
        var created: [NodeName: Set<String>] = [:]
        for step in plan.steps {
            var blocks = step.blocks
            if case .expect(let check) = step.action { blocks = [check.block] }
            for block in blocks where block.netns == nil {
                for command in block.commands {
                    guard let words = ShellWords.split(command.text) else { continue }
                    created[block.node, default: []].formUnion(createdLinks(words))
                    for name in usedCards(words) {
                        let known = topology.nodes[block.node]?.interfaces[name] != nil
                        guard !known, !(created[block.node]?.contains(name) ?? false),
                            seen.insert("\(block.node)|\(name)").inserted
                        else { continue }
                        found.append(
                            Missing(
                                node: block.node, interface: name, command: command.text, location: command.location))
                    }
                }
            }
        }
        return found
    }

    /// The errors for `missing(in:topology:)`, each naming a topology of `alternatives` where the node has
    /// every card the plan needs, when there is one.
    public static func errors(in plan: Plan, topology: Topology, alternatives: [Topology] = []) -> [InputError] {
        let missing = missing(in: plan, topology: topology)
        guard !missing.isEmpty else { return [] }
        let fitting = alternatives.filter { alternative in
            missing.allSatisfy { alternative.nodes[$0.node]?.interfaces[$0.interface] != nil }
        }
        return missing.map { use in
            let has = topology.nodes[use.node].map { Array($0.interfaces.keys).joined(separator: ", ") } ?? "nothing"
            let hint =
                fitting.first.map {
                    "run it with -t \($0.sourcePath), where \(use.node) has \(use.interface)"
                } ?? "add \(use.interface) to \(use.node) in \(topology.sourcePath), or use a topology that has it"
            return InputError(
                .unknownReference,
                "\(use.node) uses \(use.interface), which the topology '\(topology.name)' does not give it "
                    + "(it has \(has))", at: use.location, hint: hint,
                sourceLine: use.command.split(separator: "\n").first.map(String.init))
        }
    }

    /// Cards a command names in the namespace it runs in: `dev X`, `link X`, iptables `-i X`/`-o X`, sysctl
    /// `net.ipv4.conf.X.…`. Commands run through `ip netns exec` or `ip -n` use another namespace's cards.
    static func usedCards(_ words: [String]) -> [String] {
        if words.starts(with: ["ip", "netns", "exec"]) || (words.first == "ip" && words.contains("-n")) { return [] }
        var names: [String] = []
        let isIptables = words.first?.hasPrefix("iptables") ?? false
        for (index, word) in words.enumerated() where index + 1 < words.count {
            let next = words[index + 1]
            if word == "dev" || (word == "link" && index > 1) || (isIptables && (word == "-i" || word == "-o")) {
                names.append(next)
            }
        }
        for word in words where word.hasPrefix("net.ipv4.conf.") || word.hasPrefix("net.ipv6.conf.") {
            let parts = word.split(separator: ".")
            if parts.count > 3 { names.append(String(parts[3]).split(separator: "=").first.map(String.init) ?? "") }
        }
        return names.filter(PhysicalInterface.looksPhysical)
    }

    /// Links `ip link add [dev|name] X …` creates (also a veth's `peer name Y`).
    static func createdLinks(_ words: [String]) -> [String] {
        guard words.count >= 4, words[0] == "ip", words[1] == "link", words[2] == "add" else { return [] }
        var names: [String] = []
        var index = 3
        if words[index] == "dev" || words[index] == "name" { index += 1 }
        if index < words.count { names.append(words[index]) }
        if let peer = words.firstIndex(of: "peer"), peer + 2 < words.count, words[peer + 1] == "name" {
            names.append(words[peer + 2])
        }
        return names
    }
}
