import PlanModel

/// The ping targets each source endpoint got at the previous derivations, reused while nothing they were
/// read from changed: the endpoints of the network (addresses and simulator nodes), the walks every
/// answer came from (`Walks.isForgotten`) and the SNAT sources of the anonymisers on anonymising paths.
struct ReachMemo {
    /// What an endpoint is to the derivation: everything `pingTargets` reads of it, and its simulator node.
    struct EndpointKey: Equatable {
        var endpoint: CheckEndpoint
        var node: Int?

        init(_ endpoint: CheckEndpoint, node: Int?) {
            self.endpoint = endpoint
            self.node = node
        }
    }

    /// One source's targets, its warnings (without the operation they follow) and what they were read from.
    struct Entry {
        var reachable: [IPAddress]
        var lost: [IPAddress]
        var warnings: [String]
        var walks: [ForwardingSimulator.Walks]
        var anonymisers: [(node: Int, snat: IPAddress?)]

        func isValid(in simulator: ForwardingSimulator) -> Bool {
            for walks in walks where walks.isForgotten { return false }
            for (node, snat) in anonymisers where simulator.snat(of: node) != snat { return false }
            return true
        }
    }

    /// Per network, the endpoints its entries were derived among.
    var endpoints: [Int: [EndpointKey]] = [:]
    /// Per network, by the source's position among the endpoints.
    var entries: [Int: [Int: Entry]] = [:]

    /// Forgets a network's entries when its endpoints differ from those they were derived among.
    mutating func prepare(network: Int, endpoints keys: [EndpointKey]) {
        guard endpoints[network] != keys else { return }
        endpoints[network] = keys
        entries[network] = [:]
    }
}
