public import PlanModel

/// Follows a packet hop by hop through the tables a plan leaves on the nodes, the way the kernel would:
/// packets from a neighbour whose MAC has a mark and an `ip rule` use that neighbour's forwarding table,
/// a table without a matching prefix falls through to the next rule (`ntk`, then `main`), and a gateway's
/// PREROUTING NETMAP rewrites the destination first.
///
/// Reach checks list an address only when this says a ping gets there and its answer gets back.
public struct ForwardingSimulator: Sendable {
    /// A table: prefix → what it says (prefixes are networks, host bits zero).
    public typealias Table = [IPPrefix: RouteChoice]

    /// One identity (or plain host) as the packet sees it: its NIC, IPs and tables.
    public struct Node: Sendable, Hashable {
        public var mac: MACAddress?
        public var linkLocal: IPAddress
        public var ownIPs: Set<IPAddress>
        /// Tables consulted for every packet, in rule order (`ntk`, then `main`).
        public var commonTables: [Table]
        /// Forwarding tables that have their fwmark rule, by the neighbour MAC they serve.
        public var forwardingTables: [MACAddress: Table]
        public var netmaps: [Netmap]
        /// An anonymiser's source for packets to anonymising addresses — forwarded ones too (the rule of
        /// domain.md §2.4 matches the destination only).
        public var snat: IPAddress?

        public init(
            mac: MACAddress?, linkLocal: IPAddress, ownIPs: Set<IPAddress>, commonTables: [Table],
            forwardingTables: [MACAddress: Table] = [:], netmaps: [Netmap] = [], snat: IPAddress? = nil
        ) {
            self.mac = mac
            self.linkLocal = linkLocal
            self.ownIPs = ownIPs
            self.commonTables = commonTables
            self.forwardingTables = forwardingTables
            self.netmaps = netmaps
            self.snat = snat
        }
    }

    /// A PREROUTING NETMAP: destinations in `from` are rewritten into `to`, keeping the host bits.
    public struct Netmap: Sendable, Hashable {
        public var from: IPPrefix
        public var to: IPPrefix

        public init(from: IPPrefix, to: IPPrefix) {
            self.from = from
            self.to = to
        }
    }

    public var nodes: [Node]
    /// The prefix lengths the tables use, longest first (longest-prefix match probes them in order).
    let lengths: [Int]
    let byLinkLocal: [IPAddress: Int]
    /// Per node, its forwarding tables by the simulator index of the neighbour whose MAC they serve.
    let forwarding: [[Int: Table]]

    /// - Parameter prefixLengths: every prefix length in the tables (found by scanning them when nil).
    public init(nodes: [Node], prefixLengths: [Int]? = nil) {
        self.nodes = nodes
        var byLinkLocal: [IPAddress: Int] = [:]
        var byMAC: [MACAddress: Int] = [:]
        for (index, node) in nodes.enumerated() {
            byLinkLocal[node.linkLocal] = index
            if let mac = node.mac { byMAC[mac] = index }
        }
        self.byLinkLocal = byLinkLocal
        forwarding = nodes.map { node in
            var tables: [Int: Table] = [:]
            for (mac, table) in node.forwardingTables {
                if let peer = byMAC[mac] { tables[peer] = table }
            }
            return tables
        }
        let found =
            prefixLengths
            ?? Array(
                Set(
                    nodes.flatMap { node in
                        node.commonTables.flatMap(\.keys).map(\.length)
                            + node.forwardingTables.values.flatMap(\.keys).map(\.length)
                    }))
        lengths = found.sorted(by: >)
    }

    /// The longest prefix of `table` covering `address`.
    func lookup(_ address: UInt32, in table: Table) -> RouteChoice? {
        for length in lengths {
            let mask: UInt32 = length == 0 ? 0 : UInt32.max << UInt32(32 - length)
            if let choice = table[IPPrefix(address: .v4(address & mask), length: length)] { return choice }
        }
        return nil
    }

    /// Whether a packet sent by `source` to `destination` arrives at a node owning it.
    public func delivers(from source: Int, to destination: IPAddress) -> Bool {
        deliveryNode(from: source, to: destination) != nil
    }

    /// The node that receives a packet sent by `source` to `destination`, nil when it is dropped.
    public func deliveryNode(from source: Int, to destination: IPAddress) -> Int? {
        var memo = Memo()
        return deliveryNode(from: source, to: destination, memo: &memo)
    }

    /// Results of walks already made: (node, previous node, destination) → where the packet ends, and each
    /// hop's decision (next node and destination after NETMAP).
    public struct Memo: Sendable {
        var outcomes: [UInt64: Int] = [:]
        var hops: [UInt64: UInt64] = [:]
        public init() {}
    }

    /// What a node does with a packet: deliver it, drop it, or send it on (to a node, maybe rewritten).
    enum Hop {
        case delivered
        case dropped
        case next(Int, UInt32)
    }

    /// One hop's decision, remembered in `memo`.
    func hop(at current: Int, from previous: Int?, to target: UInt32, memo: inout Memo) -> Hop {
        let key = Self.step(node: current, previous: previous, target: target)
        if let known = memo.hops[key] {
            switch known {
            case UInt64.max: return .dropped
            case UInt64.max - 1: return .delivered
            default: return .next(Int(known >> 32), UInt32(truncatingIfNeeded: known))
            }
        }
        let decision = decide(at: current, from: previous, to: target)
        switch decision {
        case .dropped: memo.hops[key] = UInt64.max
        case .delivered: memo.hops[key] = UInt64.max - 1
        case .next(let node, let rewritten): memo.hops[key] = UInt64(node) << 32 | UInt64(rewritten)
        }
        return decision
    }

    private func decide(at current: Int, from previous: Int?, to destination: UInt32) -> Hop {
        let node = nodes[current]
        var target = IPAddress.v4(destination)
        if previous != nil, let map = node.netmaps.first(where: { $0.from.contains(target) }) {
            target = Self.netmap(target, from: map.from, to: map.to)
        }
        if node.ownIPs.contains(target) { return .delivered }
        guard case .v4(let address) = target else { return .dropped }
        var choice: RouteChoice?
        if let previous, let table = forwarding[current][previous] { choice = lookup(address, in: table) }
        for table in node.commonTables where choice == nil { choice = lookup(address, in: table) }
        guard case .via(let gateway, _, _) = choice, let next = byLinkLocal[gateway] else { return .dropped }
        return .next(next, address)
    }

    /// One hop of a walk, packed: 16 bits of node, 16 of previous node (+1), 32 of destination.
    static func step(node: Int, previous: Int?, target: UInt32) -> UInt64 {
        UInt64(node & 0xFFFF) << 48 | UInt64(((previous ?? -1) + 1) & 0xFFFF) << 32 | UInt64(target)
    }

    /// `deliveryNode(from:to:)`, reusing and recording the outcome of every hop's walk in `memo` (the
    /// tables do not change between calls that share one).
    public func deliveryNode(from source: Int, to destination: IPAddress, memo: inout Memo) -> Int? {
        var visited: [UInt64] = []
        let outcome = walk(from: source, to: destination, memo: &memo, visited: &visited)
        for step in visited { memo.outcomes[step] = outcome ?? -1 }
        return outcome
    }

    private func walk(
        from source: Int, to destination: IPAddress, memo: inout Memo, visited: inout [UInt64],
        previous start: Int? = nil
    ) -> Int? {
        guard case .v4(var target) = destination else { return nil }
        var current = source
        var previous = start
        for _ in 0..<64 {
            let step = Self.step(node: current, previous: previous, target: target)
            if let known = memo.outcomes[step] { return known < 0 ? nil : known }
            visited.append(step)
            switch hop(at: current, from: previous, to: target, memo: &memo) {
            case .delivered: return current
            case .dropped: return nil
            case .next(let next, let rewritten):
                previous = current
                current = next
                target = rewritten
            }
        }
        return nil
    }

    /// The hops of a packet from `source` to `destination`: (node, the node it came from), ending at the
    /// receiver; nil when it is dropped.
    func path(from source: Int, to destination: IPAddress, previous start: Int? = nil, memo: inout Memo)
        -> [(node: Int, from: Int?)]?
    {
        guard case .v4(var target) = destination else { return nil }
        var hops: [(node: Int, from: Int?)] = []
        var current = source
        var previous = start
        for _ in 0..<64 {
            hops.append((current, previous))
            switch hop(at: current, from: previous, to: target, memo: &memo) {
            case .delivered: return hops
            case .dropped: return nil
            case .next(let next, let rewritten):
                previous = current
                current = next
                target = rewritten
            }
        }
        return nil
    }

    /// Whether a ping from `source` (answered at `reply`) to an anonymising address gets its answer back:
    /// every anonymiser on the way rewrites the source to its own global IP, so the answer goes to the last
    /// one, whose conntrack turns it back toward the one before — each leg routed by the tables of the
    /// node it arrives at, for packets from the neighbour it came from. A subnet host's gateway maps the
    /// host's source by NETMAP instead (`firstHopMaps`).
    /// - Returns: the node that answered, nil when the ping or its answer is lost.
    public func anonymousRoundTrip(
        from source: Int, to destination: IPAddress, reply: IPAddress, firstHopMaps: Bool = false, memo: inout Memo
    ) -> Int? {
        guard let hops = path(from: source, to: destination, memo: &memo), let receiver = hops.last?.node else {
            return nil
        }
        var answerTo = [reply]
        for hop in hops.dropFirst(firstHopMaps ? 2 : 1).dropLast() {
            if let snat = nodes[hop.node].snat { answerTo.append(snat) }
        }
        var current = receiver
        var previous: Int?
        while let target = answerTo.popLast() {
            guard let leg = path(from: current, to: target, previous: previous, memo: &memo), let end = leg.last else {
                return nil
            }
            current = end.node
            previous = end.from
        }
        return receiver
    }

    static func netmap(_ address: IPAddress, from: IPPrefix, to: IPPrefix) -> IPAddress {
        guard case .v4(let value) = address, case .v4(let base) = to.network.address else { return address }
        let hostMask: UInt32 = to.length >= 32 ? 0 : UInt32.max >> UInt32(to.length)
        return .v4((base & ~hostMask) | (value & hostMask))
    }
}
