/// Best paths from one identity, as a converged QSPN network has them.
///
/// A path to a destination of level i must stay inside the source's level-(i+1) g-node: a node outside it
/// sees that g-node only as a whole, so it cannot offer a path to a part of it. Paths for a forwarding table
/// must not touch the neighbour's max distinct g-node (domain.md §2.5).
///
/// Ties are broken deterministically: lowest total cost, then fewest hops, then the first hop that comes
/// first in the source's arc order (the order in which its qspn-arcs were made), then the member of the
/// destination g-node that comes first in the graph.
public struct PathSearch: Sendable {
    /// What to leave out of the search.
    public struct Limits: Sendable, Hashable {
        /// Nodes no path may use (for a forwarding table, the neighbour's max distinct g-node).
        public var excludedGNode: GNodeAddress?
        /// Nodes that are not part of the network as the source sees it (still in bootstrap).
        public var unusable: Set<Int>
        /// The only neighbours a path may start with (the arcs that delivered an ETP); nil for all.
        public var firstHops: Set<Int>?

        public init(excludedGNode: GNodeAddress? = nil, unusable: Set<Int> = [], firstHops: Set<Int>? = nil) {
            self.excludedGNode = excludedGNode
            self.unusable = unusable
            self.firstHops = firstHops
        }
    }

    struct Key: Comparable, Hashable {
        var cost: Int
        var hops: Int
        var rank: Int
        static func < (a: Key, b: Key) -> Bool { (a.cost, a.hops, a.rank) < (b.cost, b.hops, b.rank) }
    }

    public let graph: RoutingGraph

    public init(graph: RoutingGraph) { self.graph = graph }

    /// For each node of the graph, the first hop of the best path from `source` that stays inside
    /// `container` and respects `limits`, with its key; nil for nodes without such a path (and the source).
    func search(from source: Int, inside container: GNodeAddress, limits: Limits) -> [(hop: Int, key: Key)?] {
        var best: [(hop: Int, key: Key)?] = Array(repeating: nil, count: graph.count)
        var done = Array(repeating: false, count: graph.count)
        func usable(_ node: Int) -> Bool {
            let address = graph.addresses[node]
            if limits.unusable.contains(node) || !container.contains(address) { return false }
            if let excluded = limits.excludedGNode, excluded.contains(address) { return false }
            return true
        }
        for (rank, arc) in graph.arcs[source].enumerated() where usable(arc.peer) {
            if let allowed = limits.firstHops, !allowed.contains(arc.peer) { continue }
            let key = Key(cost: arc.cost, hops: 1, rank: rank)
            if best[arc.peer].map({ key < $0.key }) ?? true { best[arc.peer] = (arc.peer, key) }
        }
        done[source] = true
        var heap = MinHeap<Key, Int>()
        for node in 0..<graph.count { if let entry = best[node] { heap.push(entry.key, node) } }
        while let (key, node) = heap.pop() {
            guard !done[node], let reached = best[node], reached.key == key else { continue }
            done[node] = true
            for arc in graph.arcs[node] where !done[arc.peer] && usable(arc.peer) {
                let next = Key(cost: key.cost + arc.cost, hops: key.hops + 1, rank: key.rank)
                if best[arc.peer].map({ next < $0.key }) ?? true {
                    best[arc.peer] = (reached.hop, next)
                    heap.push(next, arc.peer)
                }
            }
        }
        best[source] = nil
        return best
    }

    /// The first hop toward each destination (nil: no path), searching once per destination level.
    public func firstHops(from source: Int, to destinations: [Destination], limits: Limits) -> [Int?] {
        var perLevel: [Int: [(hop: Int, key: Key)?]] = [:]
        let address = graph.addresses[source]
        return destinations.map { destination in
            let found =
                perLevel[destination.level]
                ?? search(from: source, inside: address.gnode(level: destination.level + 1), limits: limits)
            perLevel[destination.level] = found
            var chosen: (hop: Int, key: Key)?
            for node in 0..<graph.count where node != source && destination.contains(graph.addresses[node]) {
                guard let candidate = found[node] else { continue }
                if chosen.map({ candidate.key < $0.key }) ?? true { chosen = candidate }
            }
            return chosen?.hop
        }
    }
}
