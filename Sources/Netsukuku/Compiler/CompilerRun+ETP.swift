import PlanModel

extension CompilerRun {
    /// A command in an identity's namespace.
    func inside(_ identity: Int, _ command: String) -> String {
        RouteCommand.inNamespace(state.identities[identity].namespace, command)
    }

    /// OP-4: the forwarding table of `owner` for packets from `peer`, every prefix unreachable; `tee` only
    /// when the system's `rt_tables` does not list the name yet.
    mutating func createTable(owner: Int, peer: Int) -> [String] {
        let identity = state.identities[owner]
        let mac = state.identities[peer].nic.mac
        let name = "ntk_from_\(mac)"
        guard identity.table(for: peer) == nil,
            let (number, isNew) = state.systems[identity.system]?.register(name)
        else { return [] }
        let prefixes = state.prefixes(of: owner, mapping: mapping)
        var lines = isNew ? [CommandText.register(number: number, name: name)] : []
        lines.append(inside(owner, CommandText.markAdd(mac: mac, number: number)))
        lines += prefixes.map { inside(owner, RouteCommand.addUnreachable($0, table: name)) }
        state.identities[owner].tables.append(
            ForwardingTableState(
                peer: peer, mac: mac, number: number, hasRule: false, isAddressKnown: false,
                routes: Dictionary(uniqueKeysWithValues: prefixes.map { ($0.prefix, .unreachable) })))
        return lines
    }

    /// The ETP waves a change causes (OP-9), breadth first, until every identity has converged. A receiver
    /// writes a block when what it knows changes its routes, on its first ETP (it leaves bootstrap) and on
    /// the first ETP over an arc (the table gets its rule); it passes the ETP on when its routes changed.
    /// A receiver's block always comes after its sender's latest block.
    /// - Parameters:
    ///   - initial: (sender, receiver) pairs, in order.
    ///   - forwarding: false to let only the first receivers process (phase 2: out of bootstrap before the
    ///     address change).
    mutating func propagate(_ initial: [(Int, Int)], forwarding: Bool = true) {
        var queue = initial
        var head = 0
        var queued = Set(initial.map { [$0.0, $0.1] })
        while head < queue.count {
            let (sender, receiver) = queue[head]
            head += 1
            queued.remove([sender, receiver])
            guard process(from: sender, to: receiver), forwarding else { continue }
            for peer in state.qspnPeers(of: receiver) where !queued.contains([receiver, peer]) {
                queue.append((receiver, peer))
                queued.insert([receiver, peer])
            }
        }
        if scenario.checks == .wave { deriveChecks() }
    }

    /// One ETP from `sender` processed by `receiver`. Returns whether the receiver's routes changed.
    mutating func process(from sender: Int, to receiver: Int) -> Bool {
        let s = state.identities[sender]
        let r = state.identities[receiver]
        guard s.isAlive, r.isAlive, !s.isBootstrap, !s.isWaiting, !r.isWaiting,
            let arc = state.arcIndex(sender, receiver), state.arcs[arc].isQspn
        else { return false }
        state.arcs[arc].heardBy.insert(receiver)
        let tableIndex = r.tableIndex(for: sender)
        if let tableIndex { state.identities[receiver].tables[tableIndex].isAddressKnown = true }
        let wasBootstrap = r.isBootstrap
        state.identities[receiver].isBootstrap = false
        state.identities[receiver].view = state.snapshot()
        let routes = state.routes(of: receiver, mapping: mapping)
        let needsRule = tableIndex.map { !r.tables[$0].hasRule } ?? false
        let changed = !installedMatches(receiver, routes)
        guard changed || needsRule || wasBootstrap else { return false }
        let lines = rewriteLines(receiver, routes, ruleFor: needsRule ? sender : nil)
        let title = "ETP from \(s.label) processed by \(r.label)"
        emit("\(operation)-etp", title, .etp, [(r.system, lines)], after: [lastPhaseOfSystem[s.system]])
        return changed || wasBootstrap
    }

    /// Whether the routes in place already say what `routes` says, a blackhole counting as any route
    /// (the tables learn their blackholes at the next rewrite; they alone change no path).
    func installedMatches(_ identity: Int, _ routes: ComputedRoutes) -> Bool {
        let x = state.identities[identity]
        func same(_ installed: [IPPrefix: RouteChoice]?, _ wanted: [TableRoute]?) -> Bool {
            guard let wanted else { return true }
            guard let installed else { return false }
            return wanted.allSatisfy { route in
                guard let current = installed[route.prefix.prefix] else { return false }
                return current == route.choice || current == .blackhole || route.choice == .blackhole
            }
        }
        guard same(x.ntk, routes.ntk) else { return false }
        return x.tables.allSatisfy { !$0.hasRule || same($0.routes, routes.tables[$0.peer]) }
    }

    /// A full rewrite of `ntk` and of every forwarding table that has its rule (plus the table of
    /// `ruleFor`, which gets its rule after its routes), tables in increasing number (seed 004). Installs it.
    mutating func rewriteLines(_ identity: Int, _ routes: ComputedRoutes, ruleFor sender: Int?) -> [String] {
        var lines: [String] = []
        if let ntk = routes.ntk {
            lines += ntk.map { inside(identity, RouteCommand.change($0, table: "ntk")) }
            state.identities[identity].ntk = Dictionary(
                ntk.map { ($0.prefix.prefix, $0.choice) }, uniquingKeysWith: { a, _ in a })
        }
        let order = state.identities[identity].tables.indices.sorted {
            state.identities[identity].tables[$0].number < state.identities[identity].tables[$1].number
        }
        for index in order {
            let table = state.identities[identity].tables[index]
            let gettingRule = table.peer == sender && !table.hasRule
            guard table.hasRule || gettingRule, let wanted = routes.tables[table.peer] else { continue }
            let name = table.name
            lines += wanted.map { inside(identity, RouteCommand.change($0, table: name)) }
            state.identities[identity].tables[index].routes = Dictionary(
                wanted.map { ($0.prefix.prefix, $0.choice) }, uniquingKeysWith: { a, _ in a })
            if gettingRule {
                lines.append(inside(identity, CommandText.ruleAdd(number: table.number, name: table.name)))
                state.identities[identity].tables[index].hasRule = true
            }
        }
        return lines
    }
}
