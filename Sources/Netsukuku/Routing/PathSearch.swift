/// Best paths from one identity, as a converged QSPN network has them.
///
/// A path to a destination of level i stays inside the source's level-(i+1) g-node: a node outside it sees
/// that g-node only as a whole, so it cannot offer a path to a part of it. A path never enters again a
/// g-node it has left: each node offers a neighbour only paths that avoid the neighbour's g-node it sees as
/// a whole (the neighbour's max distinct g-node), as QSPN drops paths that contain one's own g-node. Paths
/// for a forwarding table start outside the table's neighbour's max distinct g-node (domain.md §2.5).
///
/// That rule makes forwarding deliver: the next hop's table for packets from here has the rest of the
/// path, so every hop's path is strictly shorter than the previous one's.
///
/// Ties are broken deterministically: lowest total cost, then fewest hops, then the first hop that comes
/// first in the source's arc order (the order in which its qspn-arcs were made), then the member of the
/// destination g-node that comes first in the graph.
public struct PathSearch: Sendable {
    /// What to leave out of the search.
    public struct Limits: Sendable, Hashable {
        /// G-nodes no path may enter (for a forwarding table, the neighbour's max distinct g-node).
        public var excludedGNodes: [GNodeAddress]
        /// Nodes that are not part of the network as the source sees it (still in bootstrap).
        public var unusable: Set<Int>
        /// The only neighbours a path may start with (the arcs that delivered an ETP); nil for all.
        public var firstHops: Set<Int>?

        public init(excludedGNodes: [GNodeAddress] = [], unusable: Set<Int> = [], firstHops: Set<Int>? = nil) {
            self.excludedGNodes = excludedGNodes
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

    /// A partial path: where it is, how it started, and the g-nodes it may not enter any more.
    struct Label {
        var key: Key
        var node: Int
        var firstHop: Int
        var forbidden: [GNodeAddress]
    }

    public let graph: RoutingGraph

    public init(graph: RoutingGraph) { self.graph = graph }

    /// For each node, the first hop, key and predecessor of the best path from `source` inside `container`,
    /// ignoring the rule against re-entering g-nodes (Dijkstra; `firstHops` checks the paths it uses).
    func plainSearch(from source: Int, inside container: GNodeAddress, limits: Limits)
        -> [(hop: Int, key: Key, previous: Int)?]
    {
        var best: [(hop: Int, key: Key, previous: Int)?] = Array(repeating: nil, count: graph.count)
        var done = Array(repeating: false, count: graph.count)
        func usable(_ node: Int) -> Bool {
            let address = graph.addresses[node]
            return node != source && !limits.unusable.contains(node) && container.contains(address)
                && !limits.excludedGNodes.contains { $0.contains(address) }
        }
        var heap = MinHeap<Key, Int>()
        for (rank, arc) in graph.arcs[source].enumerated() where usable(arc.peer) {
            if let allowed = limits.firstHops, !allowed.contains(arc.peer) { continue }
            let key = Key(cost: arc.cost, hops: 1, rank: rank)
            if best[arc.peer].map({ key < $0.key }) ?? true {
                best[arc.peer] = (arc.peer, key, source)
                heap.push(key, arc.peer)
            }
        }
        while let (key, node) = heap.pop() {
            guard !done[node], let reached = best[node], reached.key == key else { continue }
            done[node] = true
            for arc in graph.arcs[node] where !done[arc.peer] && usable(arc.peer) {
                let next = Key(cost: key.cost + arc.cost, hops: key.hops + 1, rank: key.rank)
                if best[arc.peer].map({ next < $0.key }) ?? true {
                    best[arc.peer] = (reached.hop, next, node)
                    heap.push(next, arc.peer)
                }
            }
        }
        return best
    }

    /// Whether the plain search's path to `node` never re-enters a g-node it left.
    func isValid(pathTo node: Int, from source: Int, in found: [(hop: Int, key: Key, previous: Int)?]) -> Bool {
        var path = [node]
        var current = node
        while current != source, let step = found[current] {
            current = step.previous
            path.append(current)
        }
        path.reverse()
        var forbidden: [GNodeAddress] = []
        for index in path.indices.dropFirst() {
            let address = graph.addresses[path[index]]
            if forbidden.contains(where: { $0.contains(address) }) { return false }
            forbidden = Self.adding(exitFrom: graph.addresses[path[index - 1]], to: address, forbidden)
        }
        return true
    }

    /// For each node, the first hop and key of the best valid path from `source` inside `container`.
    func search(from source: Int, inside container: GNodeAddress, limits: Limits) -> [(hop: Int, key: Key)?] {
        var best: [(hop: Int, key: Key)?] = Array(repeating: nil, count: graph.count)
        var accepted: [[[GNodeAddress]]] = Array(repeating: [], count: graph.count)
        var labels: [Label] = []
        var heap = MinHeap<Key, Int>()
        func usable(_ node: Int, _ forbidden: [GNodeAddress]) -> Bool {
            let address = graph.addresses[node]
            return node != source && !limits.unusable.contains(node) && container.contains(address)
                && !forbidden.contains { $0.contains(address) }
        }
        func push(_ label: Label) {
            labels.append(label)
            heap.push(label.key, labels.count - 1)
        }
        let sourceAddress = graph.addresses[source]
        for (rank, arc) in graph.arcs[source].enumerated() where usable(arc.peer, limits.excludedGNodes) {
            if let allowed = limits.firstHops, !allowed.contains(arc.peer) { continue }
            push(
                Label(
                    key: Key(cost: arc.cost, hops: 1, rank: rank), node: arc.peer, firstHop: arc.peer,
                    forbidden: Self.adding(
                        exitFrom: sourceAddress, to: graph.addresses[arc.peer], limits.excludedGNodes)))
        }
        while let (_, index) = heap.pop() {
            let label = labels[index]
            let node = label.node
            // A path that may go everywhere an accepted one may is never better than it (keys only grow).
            guard !accepted[node].contains(where: { Self.region($0, isInside: label.forbidden) }) else { continue }
            accepted[node].append(label.forbidden)
            if best[node] == nil { best[node] = (label.firstHop, label.key) }
            let here = graph.addresses[node]
            for arc in graph.arcs[node] where usable(arc.peer, label.forbidden) {
                let key = Key(cost: label.key.cost + arc.cost, hops: label.key.hops + 1, rank: label.key.rank)
                push(
                    Label(
                        key: key, node: arc.peer, firstHop: label.firstHop,
                        forbidden: Self.adding(exitFrom: here, to: graph.addresses[arc.peer], label.forbidden)))
            }
        }
        return best
    }

    /// The forbidden g-nodes after stepping from `from` to `to`: plus the g-node of `from` just left.
    static func adding(exitFrom from: NetsukukuAddress, to: NetsukukuAddress, _ forbidden: [GNodeAddress])
        -> [GNodeAddress]
    {
        guard let level = from.distinctLevel(from: to) else { return forbidden }
        let left = from.gnode(level: level)
        if forbidden.contains(where: { $0.encloses(left) }) { return forbidden }
        return forbidden.filter { !left.encloses($0) } + [left]
    }

    /// Whether every g-node of `inner` lies inside one of `outer`.
    static func region(_ inner: [GNodeAddress], isInside outer: [GNodeAddress]) -> Bool {
        inner.allSatisfy { g in outer.contains { $0.encloses(g) } }
    }

    /// The first hop toward each destination (nil: no path), searching once per destination level: a
    /// plain shortest-path search, and the exact one only for a level where a path it chose re-enters a
    /// g-node (the answers are the same whenever the plain paths are valid).
    public func firstHops(from source: Int, to destinations: [Destination], limits: Limits) -> [Int?] {
        let address = graph.addresses[source]
        // A node lies in the destination (L, its id at L), L the highest level where it differs from the source.
        var index: [Int: Int] = [:]
        for (position, destination) in destinations.enumerated() {
            index[destination.level << 32 | destination.id] = position
        }
        var members: [[Int]] = Array(repeating: [], count: destinations.count)
        for node in 0..<graph.count where node != source {
            let other = graph.addresses[node]
            guard let level = address.distinctLevel(from: other),
                let position = index[level << 32 | other.ids[level]]
            else { continue }
            members[position].append(node)
        }
        var hops: [Int?] = Array(repeating: nil, count: destinations.count)
        let levels = Set(destinations.map(\.level))
        for level in levels.sorted() {
            let container = address.gnode(level: level + 1)
            let indices = destinations.indices.filter { destinations[$0].level == level }
            let plain = plainSearch(from: source, inside: container, limits: limits)
            var valid = true
            for index in indices {
                let chosen = members[index].compactMap { node in plain[node].map { (node, $0.key, $0.hop) } }
                    .min { $0.1 < $1.1 }
                if let chosen, !isValid(pathTo: chosen.0, from: source, in: plain) { valid = false }
                hops[index] = chosen?.2
            }
            guard !valid else { continue }
            let exact = search(from: source, inside: container, limits: limits)
            for index in indices {
                hops[index] = members[index].compactMap { exact[$0] }.min { $0.key < $1.key }?.hop
            }
        }
        return hops
    }
}

extension GNodeAddress {
    /// Whether `other` lies inside this g-node (or is it).
    func encloses(_ other: GNodeAddress) -> Bool {
        guard level >= other.level, level + ids.count == other.level + other.ids.count else { return false }
        return ids == Array(other.ids[(level - other.level)...])
    }
}
