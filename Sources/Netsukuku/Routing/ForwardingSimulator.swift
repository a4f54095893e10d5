public import PlanModel

/// Follows a packet hop by hop through the tables a plan leaves on the nodes, the way the kernel would:
/// packets from a neighbour whose MAC has a mark and an `ip rule` use that neighbour's forwarding table,
/// a table without a matching prefix falls through to the next rule (`ntk`, then `main`), and a gateway's
/// PREROUTING NETMAP rewrites the destination first.
///
/// Reach checks list an address only when this says a ping gets there and its answer gets back.
public struct ForwardingSimulator: Sendable {
    /// One route as the simulation needs it.
    public struct Entry: Sendable, Hashable {
        public var prefix: IPPrefix
        public var choice: RouteChoice

        public init(prefix: IPPrefix, choice: RouteChoice) {
            self.prefix = prefix
            self.choice = choice
        }
    }

    /// One identity (or plain host) as the packet sees it: its NIC, IPs and tables.
    public struct Node: Sendable, Hashable {
        public var mac: MACAddress?
        public var linkLocal: IPAddress
        public var ownIPs: Set<IPAddress>
        /// Tables consulted for every packet, in rule order (`ntk`, then `main`).
        public var commonTables: [[Entry]]
        /// Forwarding tables that have their fwmark rule, by the neighbour MAC they serve.
        public var forwardingTables: [MACAddress: [Entry]]
        public var netmaps: [Netmap]

        public init(
            mac: MACAddress?, linkLocal: IPAddress, ownIPs: Set<IPAddress>, commonTables: [[Entry]],
            forwardingTables: [MACAddress: [Entry]] = [:], netmaps: [Netmap] = []
        ) {
            self.mac = mac
            self.linkLocal = linkLocal
            self.ownIPs = ownIPs
            self.commonTables = commonTables
            self.forwardingTables = forwardingTables
            self.netmaps = netmaps
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

    /// A table indexed for longest-prefix match: prefix lengths longest first, each with its networks.
    struct IndexedTable: Sendable {
        var lengths: [(length: Int, routes: [UInt32: RouteChoice])]

        init(_ entries: [Entry]) {
            var byLength: [Int: [UInt32: RouteChoice]] = [:]
            for entry in entries {
                guard case .v4(let value) = entry.prefix.network.address else { continue }
                if byLength[entry.prefix.length]?[value] == nil {
                    byLength[entry.prefix.length, default: [:]][value] = entry.choice
                }
            }
            lengths = byLength.keys.sorted(by: >).map { ($0, byLength[$0] ?? [:]) }
        }

        func lookup(_ address: UInt32) -> RouteChoice? {
            for (length, routes) in lengths {
                let mask: UInt32 = length == 0 ? 0 : UInt32.max << UInt32(32 - length)
                if let choice = routes[address & mask] { return choice }
            }
            return nil
        }
    }

    public var nodes: [Node]
    let byLinkLocal: [IPAddress: Int]
    let common: [[IndexedTable]]
    let forwarding: [[MACAddress: IndexedTable]]

    public init(nodes: [Node]) {
        self.nodes = nodes
        var byLinkLocal: [IPAddress: Int] = [:]
        for (index, node) in nodes.enumerated() { byLinkLocal[node.linkLocal] = index }
        self.byLinkLocal = byLinkLocal
        common = nodes.map { $0.commonTables.map(IndexedTable.init) }
        forwarding = nodes.map { $0.forwardingTables.mapValues(IndexedTable.init) }
    }

    /// Whether a packet sent by `source` to `destination` arrives at a node owning it.
    public func delivers(from source: Int, to destination: IPAddress) -> Bool {
        deliveryNode(from: source, to: destination) != nil
    }

    /// The node that receives a packet sent by `source` to `destination`, nil when it is dropped.
    public func deliveryNode(from source: Int, to destination: IPAddress) -> Int? {
        var current = source
        var previous: Int?
        var target = destination
        for _ in 0..<64 {
            let node = nodes[current]
            if previous != nil, let map = node.netmaps.first(where: { $0.from.contains(target) }) {
                target = Self.netmap(target, from: map.from, to: map.to)
            }
            if node.ownIPs.contains(target) { return current }
            guard case .v4(let value) = target else { return nil }
            var choice: RouteChoice?
            if let previous, let mac = nodes[previous].mac, let table = forwarding[current][mac] {
                choice = table.lookup(value)
            }
            for table in common[current] where choice == nil { choice = table.lookup(value) }
            guard let choice else { return nil }
            guard case .via(let gateway, _, _) = choice, let next = byLinkLocal[gateway] else { return nil }
            previous = current
            current = next
        }
        return nil
    }

    static func netmap(_ address: IPAddress, from: IPPrefix, to: IPPrefix) -> IPAddress {
        guard case .v4(let value) = address, case .v4(let base) = to.network.address else { return address }
        let hostMask: UInt32 = to.length >= 32 ? 0 : UInt32.max >> UInt32(to.length)
        return .v4((base & ~hostMask) | (value & hostMask))
    }
}
