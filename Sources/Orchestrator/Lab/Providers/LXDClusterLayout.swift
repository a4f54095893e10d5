import PlanModel

/// The members an LXD lab spreads over — testbed's own sandbox cluster (m1…mN on its private switch) or a user's
/// cluster as its endpoint lists them — and how a segment crosses them: one VXLAN tunnel per segment over
/// `tunnelInterface`, each with an id of its own from `firstTunnelID` on.
struct LXDClusterLayout: Sendable, Hashable {
    struct Member: Sendable, Hashable {
        /// The member's name, as `--target` takes it.
        var name: String
        /// The member's own address (from its cluster URL), without brackets; nil on testbed's own members.
        var address: String?
    }

    /// In order: `member: N` of the topology is `members[N - 1]`.
    var members: [Member]
    var tunnelInterface: String
    var firstTunnelID: Int
    /// True on a user's cluster: each container's sshd is reached through an LXD proxy device listening on its
    /// member's own address, as the members' bridges are on their own hosts. Testbed's own members are dialled
    /// from their namespaces instead.
    var isProxied: Bool

    /// Testbed's own cluster of `count` members on the switch `lan0` veths.
    static func own(members count: Int) -> LXDClusterLayout {
        LXDClusterLayout(
            members: (1...count).map { Member(name: "m\($0)", address: nil) }, tunnelInterface: "lan0",
            firstTunnelID: 100, isProxied: false)
    }

    /// The tunnel keys of segment `index`: its VXLAN id and a multicast group made of the id's three bytes.
    func tunnelSettings(segment index: Int) -> [String] {
        let id = firstTunnelID + index
        return [
            "tunnel.m.protocol=vxlan", "tunnel.m.id=\(id)",
            "tunnel.m.group=239.\(id >> 16 & 255).\(id >> 8 & 255).\(id & 255)",
            "tunnel.m.interface=\(tunnelInterface)",
        ]
    }

    /// The first of `count` consecutive VXLAN ids, from `preferred` on, that overlap none of `used` (the ids of
    /// the networks the cluster has), so a lab's segments never join a user's or another lab's.
    static func firstFreeTunnelID(count: Int, preferred: Int, used: Set<Int>) -> Int {
        var first = preferred
        while let clash = (first..<first + count).last(where: used.contains) { first = clash + 1 }
        return first
    }

    /// The address a proxy device listens on: an IPv6 address in brackets.
    static func listenAddress(_ address: String) -> String { address.contains(":") ? "[\(address)]" : address }

    /// The host of a member's URL (`https://10.0.0.2:8443`, `https://[fd00::2]:8443`), or nil.
    static func host(ofURL url: String) -> String? {
        guard url.hasPrefix("https://") else { return nil }
        let rest = url.dropFirst("https://".count)
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
        let host = rest.prefix { $0 != ":" && $0 != "/" }
        return host.isEmpty ? nil : String(host)
    }

    /// Each node on the member its topology names (`member: N`, the N-th of `members`, or `member: NAME`), else
    /// round-robin, with its proxied management address and port; every misplaced node at once, located.
    func place(_ nodes: [ProviderLabInfo.Node], topology: Topology, firstPort: Int) throws(LabError)
        -> [ProviderLabInfo.Node]
    {
        var problems: [(location: InputLocation, message: String)] = []
        let names = members.map(\.name)
        var placed: [ProviderLabInfo.Node] = []
        for (index, var node) in nodes.enumerated() {
            guard let topologyNode = topology.nodes[node.name] else { continue }
            let location = topologyNode.memberLocation ?? topologyNode.location
            var chosen = index % members.count
            if let number = topologyNode.member {
                guard number <= members.count else {
                    problems.append(
                        (
                            location,
                            "node '\(node.name)' is placed on member \(number), but the cluster has \(members.count)"
                        ))
                    continue
                }
                chosen = number - 1
            } else if let name = topologyNode.memberName {
                guard let found = names.firstIndex(of: name) else {
                    problems.append(
                        (location, "node '\(node.name)' is placed on member '\(name)', which the cluster lacks"))
                    continue
                }
                chosen = found
            }
            node.member = chosen + 1
            node.memberName = members[chosen].name
            if isProxied, let address = members[chosen].address {
                node.bridgeAddress = node.address
                node.address = address
                node.port = firstPort + index
            }
            placed.append(node)
        }
        guard problems.isEmpty else {
            var error = LabError(
                .setupFailed, "the LXD cluster has no place for some nodes of lab '\(topology.name)'",
                hint: "its members are \(names.joined(separator: ", ")): write member: 1 to \(names.count), or a name")
            error.located = problems
            throw error
        }
        return placed
    }
}
