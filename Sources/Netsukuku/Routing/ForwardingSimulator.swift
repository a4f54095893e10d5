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

    /// The nodes by index; nil for a slot whose identity is gone (indices stay stable from one state of the
    /// plan to the next, so walks remembered in a `Memo` keep their meaning).
    public var nodes: [Node?]
    /// The prefix lengths the tables use, longest first (longest-prefix match probes them in order).
    let lengths: [Int]
    let byLinkLocal: [IPAddress: Int]
    /// Per node, its forwarding tables by the simulator index of the neighbour whose MAC they serve.
    let forwarding: [[Int: Table]]

    /// - Parameter prefixLengths: every prefix length in the tables (found by scanning them when nil).
    public init(nodes: [Node], prefixLengths: [Int]? = nil) {
        self.init(slots: nodes, prefixLengths: prefixLengths)
    }

    /// - Parameters:
    ///   - slots: the nodes by index, nil where there is none.
    ///   - order: the order in which link-locals and MACs are registered (a later node wins a duplicate);
    ///     index order when nil.
    public init(slots: [Node?], order: [Int]? = nil, prefixLengths: [Int]? = nil) {
        nodes = slots
        var byLinkLocal: [IPAddress: Int] = [:]
        var byMAC: [MACAddress: Int] = [:]
        for index in order ?? Array(slots.indices) {
            guard let node = slots[index] else { continue }
            byLinkLocal[node.linkLocal] = index
            if let mac = node.mac { byMAC[mac] = index }
        }
        self.byLinkLocal = byLinkLocal
        forwarding = slots.map { node in
            var tables: [Int: Table] = [:]
            for (mac, table) in node?.forwardingTables ?? [:] {
                if let peer = byMAC[mac] { tables[peer] = table }
            }
            return tables
        }
        let present = slots.compactMap { $0 }
        let found =
            prefixLengths
            ?? Array(
                Set(
                    present.flatMap { node in
                        node.commonTables.flatMap(\.keys).map(\.length)
                            + node.forwardingTables.values.flatMap(\.keys).map(\.length)
                    }))
        lengths = found.sorted(by: >)
    }

    /// The longest prefix of `table` covering `address`.
    func lookup(_ address: UInt32, in table: Table) -> RouteChoice? {
        for length in lengths {
            if let choice = table[IPPrefix(address: .v4(address & Self.mask(length)), length: length)] {
                return choice
            }
        }
        return nil
    }

    static func mask(_ length: Int) -> UInt32 { length <= 0 ? 0 : UInt32.max << UInt32(32 - min(length, 32)) }

    /// Whether a packet sent by `source` to `destination` arrives at a node owning it.
    public func delivers(from source: Int, to destination: IPAddress) -> Bool {
        deliveryNode(from: source, to: destination) != nil
    }

    /// The node that receives a packet sent by `source` to `destination`, nil when it is dropped.
    public func deliveryNode(from source: Int, to destination: IPAddress) -> Int? {
        var memo = Memo()
        return deliveryNode(from: source, to: destination, memo: &memo)
    }

    /// What a node does with a packet: deliver it, drop it, or send it on (to a node, maybe rewritten).
    enum Hop {
        case delivered
        case dropped
        case next(Int, UInt32)
    }

    /// A hop's decision, and the gateway of the route it took when no node has that link-local (the decision
    /// changes when one appears).
    func decide(at current: Int, from previous: Int?, to destination: UInt32) -> (Hop, unresolved: IPAddress?) {
        guard let node = nodes[current] else { return (.dropped, nil) }
        var target = IPAddress.v4(destination)
        if previous != nil, let map = node.netmaps.first(where: { $0.from.contains(target) }) {
            target = Self.netmap(target, from: map.from, to: map.to)
        }
        if node.ownIPs.contains(target) { return (.delivered, nil) }
        guard case .v4(let address) = target else { return (.dropped, nil) }
        var choice: RouteChoice?
        if let previous, let table = forwarding[current][previous] { choice = lookup(address, in: table) }
        for table in node.commonTables where choice == nil { choice = lookup(address, in: table) }
        guard case .via(let gateway, _, _) = choice else { return (.dropped, nil) }
        guard let next = byLinkLocal[gateway] else { return (.dropped, gateway) }
        return (.next(next, address), nil)
    }

    static func netmap(_ address: IPAddress, from: IPPrefix, to: IPPrefix) -> IPAddress {
        guard case .v4(let value) = address, case .v4(let base) = to.network.address else { return address }
        let hostMask: UInt32 = to.length >= 32 ? 0 : UInt32.max >> UInt32(to.length)
        return .v4((base & ~hostMask) | (value & hostMask))
    }
}
