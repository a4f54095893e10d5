/// The identities of one network and their qspn-arcs, as route computation sees them.
///
/// Nodes are identities (not systems): a system with a connectivity identity contributes two nodes. The
/// arcs of each node keep the order in which they were made; that order ranks equal-cost paths.
public struct RoutingGraph: Sendable, Hashable {
    public struct Arc: Sendable, Hashable {
        public var peer: Int
        public var cost: Int

        public init(peer: Int, cost: Int) {
            self.peer = peer
            self.cost = cost
        }
    }

    public var addresses: [NetsukukuAddress]
    /// Arcs per node, in creation order.
    public var arcs: [[Arc]]

    public init(addresses: [NetsukukuAddress]) {
        self.addresses = addresses
        arcs = Array(repeating: [], count: addresses.count)
    }

    /// Adds the arc in both directions (costs are symmetric).
    public mutating func addArc(_ a: Int, _ b: Int, cost: Int = 1) {
        arcs[a].append(Arc(peer: b, cost: cost))
        arcs[b].append(Arc(peer: a, cost: cost))
    }

    public var count: Int { addresses.count }
}
