public import PlanModel

extension ForwardingSimulator {
    /// Walks already made, by destination: each hop's decision and where the packet ends from each
    /// (node, previous node). `keepWalks(from:in:)` carries a memo from one state of the plan to the next,
    /// forgetting only the walks the differences can change.
    public struct Memo {
        var walks: [UInt32: Walks] = [:]
        /// Destinations whose walks go on toward a rewritten one (NETMAP): rewritten → original.
        var rewrittenFrom: [UInt32: Set<UInt32>] = [:]
        /// Destinations with a hop dropped because no node had its gateway's link-local.
        var unresolved: [IPAddress: Set<UInt32>] = [:]

        public init() {}

        /// The destinations whose walks are remembered.
        public var destinations: Set<IPAddress> { Set(walks.keys.map { IPAddress.v4($0) }) }

        /// The walks toward `target`, made empty when there are none yet.
        mutating func walks(toward target: UInt32) -> Walks {
            if let known = walks[target] { return known }
            let created = Walks()
            walks[target] = created
            return created
        }
    }

    /// The walks toward one destination. A class, so a walk updates it without looking it up at every hop.
    final class Walks {
        /// (node, previous) → decision: `dropped`, `delivered`, or next node and destination packed.
        var hops: [UInt64: UInt64] = [:]
        /// (node, previous) → receiving node, -1 when the packet is dropped.
        var outcomes: [UInt64: Int] = [:]
        /// Nodes that decided a hop of these walks or were sent a packet by one.
        var visited: Set<Int> = []
    }

    static let droppedCode = UInt64.max
    static let deliveredCode = UInt64.max - 1

    /// A walk's state packed: node in the high half, previous node + 1 in the low half.
    static func state(_ node: Int, _ previous: Int?) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: node)) << 32 | UInt64(UInt32(truncatingIfNeeded: (previous ?? -1) + 1))
    }

    /// One hop's decision, remembered in `walks` (those toward `target`).
    func hop(at current: Int, from previous: Int?, to target: UInt32, walks: Walks, memo: inout Memo) -> Hop {
        let key = Self.state(current, previous)
        if let known = walks.hops[key] {
            switch known {
            case Self.droppedCode: return .dropped
            case Self.deliveredCode: return .delivered
            default: return .next(Int(known >> 32), UInt32(truncatingIfNeeded: known))
            }
        }
        let (decision, unresolved) = decide(at: current, from: previous, to: target)
        walks.visited.insert(current)
        if let unresolved { memo.unresolved[unresolved, default: []].insert(target) }
        switch decision {
        case .dropped: walks.hops[key] = Self.droppedCode
        case .delivered: walks.hops[key] = Self.deliveredCode
        case .next(let node, let rewritten):
            walks.hops[key] = UInt64(node) << 32 | UInt64(rewritten)
            walks.visited.insert(node)
            if rewritten != target { memo.rewrittenFrom[rewritten, default: []].insert(target) }
        }
        return decision
    }

    /// `deliveryNode(from:to:)`, reusing and recording the outcome of every hop's walk in `memo` (valid for
    /// these tables; carried to other tables by `Memo.keepWalks(from:in:)`).
    public func deliveryNode(from source: Int, to destination: IPAddress, memo: inout Memo) -> Int? {
        var visited: [(Walks, UInt64)] = []
        let outcome = walk(from: source, to: destination, memo: &memo, visited: &visited)
        for (walks, state) in visited { walks.outcomes[state] = outcome ?? -1 }
        return outcome
    }

    private func walk(
        from source: Int, to destination: IPAddress, memo: inout Memo, visited: inout [(Walks, UInt64)]
    ) -> Int? {
        guard case .v4(var target) = destination else { return nil }
        var walks = memo.walks(toward: target)
        var current = source
        var previous: Int?
        for _ in 0..<64 {
            let state = Self.state(current, previous)
            if let known = walks.outcomes[state] { return known < 0 ? nil : known }
            visited.append((walks, state))
            switch hop(at: current, from: previous, to: target, walks: walks, memo: &memo) {
            case .delivered: return current
            case .dropped: return nil
            case .next(let next, let rewritten):
                previous = current
                current = next
                if rewritten != target {
                    target = rewritten
                    walks = memo.walks(toward: target)
                }
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
        var walks = memo.walks(toward: target)
        var hops: [(node: Int, from: Int?)] = []
        var current = source
        var previous = start
        for _ in 0..<64 {
            hops.append((current, previous))
            switch hop(at: current, from: previous, to: target, walks: walks, memo: &memo) {
            case .delivered: return hops
            case .dropped: return nil
            case .next(let next, let rewritten):
                previous = current
                current = next
                if rewritten != target {
                    target = rewritten
                    walks = memo.walks(toward: target)
                }
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
            if let snat = nodes[hop.node]?.snat { answerTo.append(snat) }
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
}
