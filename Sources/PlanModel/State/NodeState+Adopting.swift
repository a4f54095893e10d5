extension NodeState {
    /// This state with the probed parts replaced by what was found (only the parts the model had lost, unless
    /// `everything`), so a model can continue from the node's real state after a difference or an unknown.
    public func adopting(_ observed: NodeState, probes: [StateProbe], everything: Bool = false) -> NodeState {
        var state = self
        for probe in probes {
            switch probe.kind {
            case .namespaces:
                guard everything || state.unknown.contains(.namespaces), !observed.unknown.contains(.namespaces) else {
                    continue
                }
                for name in observed.namedNamespaces where state.namespaces[name] == nil {
                    state.namespaces[name] = NamespaceState(
                        name: name, tablesKnown: false, unknown: Set(StateAspect.allCases))
                }
                for name in state.namedNamespaces where observed.namespaces[name] == nil {
                    state.namespaces[name] = nil
                }
                state.unknown.remove(.namespaces)
            case .rtTables:
                guard everything || state.unknown.contains(.rtTables), !observed.unknown.contains(.rtTables) else {
                    continue
                }
                state.rtTables = observed.rtTables
                state.unknown.remove(.rtTables)
            case .iptablesTable(let table):
                // One table was dumped: it can replace that table, never clear a lost aspect.
                let key = NodeState.key(probe.namespace?.rawValue)
                guard everything, state.namespaces[key] != nil, let theirs = observed.namespaces[key],
                    !theirs.unknown.contains(.iptables)
                else { continue }
                state.namespaces[key]?.iptables.tables[table] = theirs.iptables.tables[table]
            default:
                let key = NodeState.key(probe.namespace?.rawValue)
                guard var mine = state.namespaces[key], let theirs = observed.namespaces[key] else { continue }
                for aspect in probe.aspects where everything || mine.unknown.contains(aspect) {
                    guard !theirs.unknown.contains(aspect) else { continue }
                    switch aspect {
                    case .routes:
                        mine.routes = theirs.routes
                        mine.tablesKnown = false
                    case .rules: mine.rules = theirs.rules
                    case .links, .addresses:
                        mine.links = theirs.links.map { link in
                            var copy = link
                            copy.id = mine.links.first { $0.name == link.name }?.id ?? state.nextLinkID
                            if mine.links.first(where: { $0.name == link.name }) == nil { state.nextLinkID += 1 }
                            if copy.mac == nil { copy.mac = mine.link(named: link.name)?.mac }
                            return copy
                        }
                    case .iptables: mine.iptables = theirs.iptables
                    case .sysctls: mine.sysctls.merge(theirs.sysctls) { $1 }
                    }
                    mine.unknown.remove(aspect)
                }
                state.namespaces[key] = mine
            }
        }
        return state
    }
}
