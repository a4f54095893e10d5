public import PlanModel

extension ForwardingSimulator {
    /// Whether a ping from `source` (answered at `reply`) to an anonymising address gets its answer back:
    /// every anonymiser on the way rewrites the source to its own global IP, so the answer goes to the last
    /// one, whose conntrack turns it back toward the one before — each leg routed by the tables of the
    /// node it arrives at, for packets from the neighbour it came from. A subnet host's gateway maps the
    /// host's source by NETMAP instead (`firstHopMaps`).
    /// - Returns: the node that answered, nil when the ping or its answer is lost.
    public func anonymousRoundTrip(
        from source: Int, to destination: IPAddress, reply: IPAddress, firstHopMaps: Bool = false, memo: inout Memo
    ) -> Int? {
        guard case .v4(let target) = destination, let hops = path(from: source, to: target, memo: &memo),
            let receiver = hops.last?.node
        else { return nil }
        var answerTo = [reply]
        for hop in hops.dropFirst(firstHopMaps ? 2 : 1).dropLast() {
            let snat = nodes[hop.node]?.snat
            if memo.recorded != nil { memo.recordedAnonymisers.append((hop.node, snat)) }
            if let snat { answerTo.append(snat) }
        }
        var current = receiver
        var previous: Int?
        while let next = answerTo.popLast() {
            guard case .v4(let target) = next,
                let leg = path(from: current, to: target, previous: previous, memo: &memo), let end = leg.last
            else { return nil }
            current = end.node
            previous = end.from
        }
        return receiver
    }

    /// A node's SNAT source (nil also for a slot that is gone or out of range).
    func snat(of node: Int) -> IPAddress? { nodes.indices.contains(node) ? nodes[node]?.snat : nil }
}
