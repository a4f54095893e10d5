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
        /// While not nil, the walks every answer reads from (what a result built from them depends on).
        var recorded: [Walks]?
        /// While `recorded` is not nil, the anonymisers whose SNAT source an answer read.
        var recordedAnonymisers: [(node: Int, snat: IPAddress?)] = []

        public init() {}

        /// The destinations whose walks are remembered.
        public var destinations: Set<IPAddress> { Set(walks.keys.map { IPAddress.v4($0) }) }

        /// The walks toward `target`, made empty when there are none yet.
        mutating func walks(toward target: UInt32) -> Walks {
            if let known = walks[target] { return known }
            let created = Walks(target: target)
            walks[target] = created
            return created
        }
    }

    /// The walks toward one destination. A class, so a walk updates it without looking it up at every hop.
    final class Walks {
        let target: UInt32
        /// (node, previous) → decision: `dropped`, `delivered`, or next node and destination packed.
        var hops: [UInt64: UInt64] = [:]
        /// (node, previous) → receiving node, -1 when the packet is dropped.
        var outcomes: [UInt64: Int] = [:]
        /// Nodes that decided a hop of these walks or were sent a packet by one.
        var visited: Set<Int> = []
        /// Set when the memo forgets these walks: results read from them are stale.
        var isForgotten = false

        init(target: UInt32) { self.target = target }
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
        guard case .v4(let target) = destination else { return nil }
        let first = memo.walks(toward: target)
        // The outcome lives in the first walks; `keepWalks` forgets them when a rewritten target's go.
        memo.recorded?.append(first)
        // Most walks asked for are known from their first state: answer those without collecting anything.
        if let known = first.outcomes[Self.state(source, nil)] { return known < 0 ? nil : known }
        var visited: [(Walks, UInt64)] = []
        var known: Int?
        let end = follow(from: source, to: target, memo: &memo) { node, previous, walks in
            let state = Self.state(node, previous)
            if let outcome = walks.outcomes[state] {
                known = outcome
                return false
            }
            visited.append((walks, state))
            return true
        }
        let outcome: Int? =
            switch end {
            case .delivered(let node, _): node
            case .dropped: nil
            case .stopped: known.flatMap { $0 < 0 ? nil : $0 }
            }
        for (walks, state) in visited { walks.outcomes[state] = outcome ?? -1 }
        return outcome
    }

    /// Where a walk ended: at the receiver (and the node it came from), dropped, or stopped by its visitor.
    enum WalkEnd {
        case delivered(Int, from: Int?)
        case dropped
        case stopped
    }

    /// The one hop-by-hop walk (at most 64 hops; a loop counts as dropped), following NETMAP rewrites:
    /// `visit` sees each (node, previous node, walks toward the current target) before its hop and
    /// returns false to stop there.
    func follow(
        from source: Int, previous start: Int? = nil, to destination: UInt32, memo: inout Memo,
        visit: (_ node: Int, _ previous: Int?, _ walks: Walks) -> Bool
    ) -> WalkEnd {
        var target = destination
        var walks = memo.walks(toward: target)
        var current = source
        var previous = start
        for _ in 0..<64 {
            guard visit(current, previous, walks) else { return .stopped }
            switch hop(at: current, from: previous, to: target, walks: walks, memo: &memo) {
            case .delivered: return .delivered(current, from: previous)
            case .dropped: return .dropped
            case .next(let next, let rewritten):
                previous = current
                current = next
                if rewritten != target {
                    target = rewritten
                    walks = memo.walks(toward: target)
                }
            }
        }
        return .dropped
    }

    /// The hops of a packet from `source` to `destination`: (node, the node it came from), ending at the
    /// receiver; nil when it is dropped. The walks it goes through are recorded when the memo records.
    func path(from source: Int, to destination: UInt32, previous start: Int? = nil, memo: inout Memo)
        -> [(node: Int, from: Int?)]?
    {
        var hops: [(node: Int, from: Int?)] = []
        var used: [Walks] = []
        let end = follow(from: source, previous: start, to: destination, memo: &memo) { node, previous, walks in
            hops.append((node, previous))
            if used.last !== walks { used.append(walks) }
            return true
        }
        if memo.recorded != nil { memo.recorded?.append(contentsOf: used) }
        guard case .delivered = end else { return nil }
        return hops
    }
}
