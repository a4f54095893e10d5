import PlanModel

extension ForwardingSimulator.Memo {
    /// Forgets every walk made in `old` whose result the differences between `old` and `new` can change;
    /// the rest are exactly what `new` would compute. Node indices must mean the same
    /// identities in both.
    ///
    /// A walk toward a destination is forgotten when a node it visited changed a table entry (or own IP)
    /// covering the destination, when it went through a node whose link-local now belongs to another node
    /// or none, when it was dropped for want of a link-local that now has a node, or when it went on toward
    /// a rewritten destination whose walks are forgotten. A change of NETMAP rules forgets everything.
    public mutating func keepWalks(from old: ForwardingSimulator, in new: ForwardingSimulator) {
        guard old.lengths == new.lengths, let changes = ForwardingSimulator.Changes(from: old, to: new) else {
            for remembered in walks.values { remembered.isForgotten = true }
            self = Self()
            return
        }
        var forgotten: Set<UInt32> = []
        for (link, targets) in unresolved where new.byLinkLocal[link] != old.byLinkLocal[link] {
            forgotten.formUnion(targets)
        }
        for (target, walks) in walks where !forgotten.contains(target) {
            if !walks.visited.isDisjoint(with: changes.relinked) || changes.affect(target, walks) {
                forgotten.insert(target)
            }
        }
        var pending = Array(forgotten)
        while let target = pending.popLast() {
            for original in rewrittenFrom[target] ?? [] where forgotten.insert(original).inserted {
                pending.append(original)
            }
        }
        for target in forgotten {
            walks[target]?.isForgotten = true
            walks[target] = nil
            rewrittenFrom[target] = nil
        }
        for (link, targets) in unresolved {
            let left = targets.subtracting(forgotten)
            unresolved[link] = left.isEmpty ? nil : left
        }
    }
}

extension ForwardingSimulator {
    /// What differs between two states of the tables, as far as a hop's decision can see it.
    struct Changes {
        enum Scope: Hashable {
            /// Every packet the node handles (own IPs, `ntk`, `main`).
            case node(Int)
            /// Packets the node receives from one neighbour (its forwarding table).
            case table(node: Int, previous: Int)
        }

        /// Changed prefixes (length and network packed) → where they changed.
        var byPrefix: [UInt64: Set<Scope>] = [:]
        var lengths: Set<Int> = []
        /// Nodes that a link-local led to before and no longer does.
        var relinked: Set<Int> = []

        /// Nil when a NETMAP rule changed (every destination may be rewritten differently).
        init?(from old: ForwardingSimulator, to new: ForwardingSimulator) {
            for index in 0..<max(old.nodes.count, new.nodes.count) {
                let before = index < old.nodes.count ? old.nodes[index] : nil
                let after = index < new.nodes.count ? new.nodes[index] : nil
                // A node that appears or goes is reached only through a link-local, compared below.
                guard let before, let after else { continue }
                let (oldTables, newTables) = (old.forwarding[index], new.forwarding[index])
                if before == after && oldTables == newTables { continue }
                guard before.netmaps == after.netmaps else { return nil }
                for ip in before.ownIPs.symmetricDifference(after.ownIPs) {
                    add(IPPrefix(address: ip, length: 32), .node(index))
                }
                for position in 0..<max(before.commonTables.count, after.commonTables.count) {
                    let a = position < before.commonTables.count ? before.commonTables[position] : [:]
                    let b = position < after.commonTables.count ? after.commonTables[position] : [:]
                    for prefix in Self.differences(a, b) { add(prefix, .node(index)) }
                }
                for peer in Set(oldTables.keys).union(newTables.keys) {
                    for prefix in Self.differences(oldTables[peer] ?? [:], newTables[peer] ?? [:]) {
                        add(prefix, .table(node: index, previous: peer))
                    }
                }
            }
            for (link, index) in old.byLinkLocal where new.byLinkLocal[link] != index { relinked.insert(index) }
        }

        mutating func add(_ prefix: IPPrefix, _ scope: Scope) {
            guard case .v4(let address) = prefix.address else { return }
            let length = min(max(prefix.length, 0), 32)
            lengths.insert(length)
            byPrefix[Self.key(address, length), default: []].insert(scope)
        }

        static func key(_ address: UInt32, _ length: Int) -> UInt64 {
            UInt64(length) << 32 | UInt64(address & ForwardingSimulator.mask(length))
        }

        /// Whether a change covering `target` lies where its walks went.
        func affect(_ target: UInt32, _ walks: Walks) -> Bool {
            for length in lengths {
                guard let scopes = byPrefix[Self.key(target, length)] else { continue }
                for scope in scopes {
                    switch scope {
                    case .node(let node):
                        if walks.visited.contains(node) { return true }
                    case .table(let node, let previous):
                        if walks.hops[ForwardingSimulator.state(node, previous)] != nil { return true }
                    }
                }
            }
            return false
        }

        /// The prefixes whose entry differs between two tables (added, removed or changed).
        static func differences(_ a: Table, _ b: Table) -> [IPPrefix] {
            if a == b { return [] }
            var result: [IPPrefix] = []
            for (prefix, choice) in a where b[prefix] != choice { result.append(prefix) }
            for prefix in b.keys where a[prefix] == nil { result.append(prefix) }
            return result
        }
    }
}
