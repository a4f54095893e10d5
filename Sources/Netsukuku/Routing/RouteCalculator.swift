public import PlanModel

/// What a table says for one prefix.
public enum RouteChoice: Sendable, Hashable, Codable {
    case unreachable
    case blackhole
    /// `via <gateway> dev <device> [src <source>]`.
    case via(gateway: IPAddress, device: String, source: IPAddress?)
}

/// A route of one table: a destination prefix and what the table says for it.
public struct TableRoute: Sendable, Hashable, Codable {
    public var prefix: DestinationPrefix
    public var choice: RouteChoice

    public init(prefix: DestinationPrefix, choice: RouteChoice) {
        self.prefix = prefix
        self.choice = choice
    }
}

/// The routes of an identity's tables (domain.md §2.5).
///
/// Table `ntk` (default namespace only) serves locally generated packets: the best path's gateway, with the
/// own IP of the prefix's type as `src` when it exists. Table `ntk_from_<MAC>` serves packets forwarded from
/// that neighbour: the best path that does not touch the neighbour's max distinct g-node, without `src`;
/// and every internal-Lk prefix with k ≤ L(M) is a blackhole.
public struct RouteCalculator: Sendable {
    public let mapping: IPMapping
    public let search: PathSearch

    public init(mapping: IPMapping, graph: RoutingGraph) {
        self.mapping = mapping
        search = PathSearch(graph: graph)
    }

    var graph: RoutingGraph { search.graph }

    /// The routes of table `ntk` of `source`.
    /// - Parameters:
    ///   - gateway: the link-local address of a neighbour's NIC, the one a route goes `via`.
    ///   - device: the source's NIC.
    ///   - sourceIP: the own IP that is `src` for a prefix kind (nil: none yet, no `src`).
    public func mainRoutes(
        of source: Int, destinations: [Destination], limits: PathSearch.Limits, device: String,
        sourceIP: (PrefixKind) -> IPAddress?, gateway: (Int) -> IPAddress
    ) -> [TableRoute] {
        let hops = search.firstHops(from: source, to: destinations, limits: limits)
        var routes: [TableRoute] = []
        for (destination, hop) in zip(destinations, hops) {
            for prefix in destination.prefixes {
                let choice: RouteChoice
                if let hop {
                    choice = .via(gateway: gateway(hop), device: device, source: sourceIP(prefix.kind))
                } else {
                    choice = .unreachable
                }
                routes.append(TableRoute(prefix: prefix, choice: choice))
            }
        }
        return routes
    }

    /// The routes of the forwarding table of `source` for packets from `neighbour`.
    ///
    /// While the neighbour's address is not known (a table just renamed by a gateway update), the table
    /// only keeps packets from going back to the neighbour itself, and has no blackholes.
    public func forwardingRoutes(
        of source: Int, from neighbour: Int, destinations: [Destination], limits: PathSearch.Limits,
        device: String, isPeerAddressKnown: Bool = true, gateway: (Int) -> IPAddress
    ) -> [TableRoute] {
        let own = graph.addresses[source]
        let peer = graph.addresses[neighbour]
        let distinct = isPeerAddressKnown ? own.distinctLevel(from: peer) : nil
        var limits = limits
        if let distinct {
            limits.excludedGNodes.append(peer.gnode(level: distinct))
        } else {
            limits.unusable.insert(neighbour)
        }
        let hops = search.firstHops(from: source, to: destinations, limits: limits)
        var routes: [TableRoute] = []
        for (destination, hop) in zip(destinations, hops) {
            for prefix in destination.prefixes {
                let choice: RouteChoice
                if let level = prefix.kind.internalLevel, let distinct, level <= distinct {
                    choice = .blackhole
                } else if let hop {
                    choice = .via(gateway: gateway(hop), device: device, source: nil)
                } else {
                    choice = .unreachable
                }
                routes.append(TableRoute(prefix: prefix, choice: choice))
            }
        }
        return routes
    }
}
