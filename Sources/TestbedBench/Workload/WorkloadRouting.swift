/// Routes of the generated workload: shortest paths over the arcs, as an ETP-converged network would have
/// them, and a hop-by-hop simulation of forwarding so every generated reach check is deliverable.
struct WorkloadRouting {
    let systems: [String: WorkloadSystem]

    /// What a table says for one destination.
    enum Route: Equatable {
        case via(String)
        case unreachable
        case blackhole
    }

    /// The neighbour on a shortest path from `source` to the nearest member of `destination`, avoiding `avoid`.
    func nextHop(from source: String, toward destination: NetsukukuAddress.Destination, avoiding avoid: String?)
        -> String?
    {
        guard let origin = systems[source] else { return nil }
        var visited: Set<String> = [source]
        var frontier: [(node: String, firstHop: String)] = []
        for neighbour in origin.neighbours.sorted() where neighbour != avoid {
            frontier.append((neighbour, neighbour))
            visited.insert(neighbour)
        }
        while !frontier.isEmpty {
            var next: [(String, String)] = []
            for (node, firstHop) in frontier {
                guard let system = systems[node] else { continue }
                if origin.address.contains(system.address, in: destination) { return firstHop }
                for neighbour in system.neighbours.sorted() where !visited.contains(neighbour) && neighbour != avoid {
                    visited.insert(neighbour)
                    next.append((neighbour, firstHop))
                }
            }
            frontier = next
        }
        return nil
    }

    /// The highest level at which two addresses differ (L(M), the level of the max distinct g-node).
    static func distinctLevel(_ a: NetsukukuAddress, _ b: NetsukukuAddress) -> Int {
        (0..<NetsukukuAddress.levels).last { a.ids[$0] != b.ids[$0] } ?? 0
    }

    /// The route of one prefix in table `ntk` (`from` nil) or in the table of packets from neighbour `from`.
    func route(at system: String, destination: NetsukukuAddress.Destination, kind: Int, from: String?) -> Route {
        guard let own = systems[system] else { return .unreachable }
        if let from, let peer = systems[from], kind >= 11, kind - 10 <= Self.distinctLevel(own.address, peer.address) {
            return .blackhole
        }
        return nextHop(from: system, toward: destination, avoiding: from).map(Route.via) ?? .unreachable
    }

    /// Whether a packet from `source` to `ip` (last octet) gets there, following the tables hop by hop.
    func delivers(from source: String, to ip: Int) -> Bool {
        var current = source
        var previous: String?
        for _ in 0..<16 {
            guard let system = systems[current] else { return false }
            if system.address.ownIPs.contains(ip) { return true }
            guard
                let (destination, kind) = system.address.destinations().lazy.compactMap({ destination in
                    destination.prefixes.first { Self.contains(prefix: $0.value, length: $0.length, ip: ip) }
                        .map { (destination, $0.kind) }
                }).first,
                case .via(let hop) = route(at: current, destination: destination, kind: kind, from: previous)
            else { return false }
            previous = current
            current = hop
        }
        return false
    }

    static func contains(prefix: Int, length: Int, ip: Int) -> Bool {
        let hostBits = 32 - length
        return prefix >> hostBits == ip >> hostBits
    }
}
