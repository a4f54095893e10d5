import PlanModel

extension CompilerRun {
    /// `add_real_arc` (OP-2): both ends route to each other's link-locals, one identity-arc per pair of
    /// identities; pairs in one network become qspn-arcs (OP-4 on both ends) and exchange ETPs.
    mutating func addArc(_ arc: ArcSpec) {
        let (a, b) = (arc.ends[0], arc.ends[1])
        guard validateArcEnds(a, b) else { return }
        if state.physicalArcs.contains(where: { $0.joins(a.value, b.value) }) {
            fail(
                .duplicate, "an arc between '\(a.value)' and '\(b.value)' already exists", at: a.location,
                hint: "each pair of systems has at most one arc; use remove_arc first to make it again")
            return
        }
        state.physicalArcs.append(PhysicalArc(systems: [a.value, b.value], cost: arc.cost))
        var routes: [(system: String, lines: [String])] = [(a.value, []), (b.value, [])]
        var made: [Int] = []
        let (left, right) = (state.identities(of: a.value), state.identities(of: b.value))
        for x in left {
            for y in right {
                let qspn = state.identities[x].network == state.identities[y].network
                state.arcs.append(IdentityArc(ends: [x, y], cost: arc.cost, isQspn: qspn))
                if qspn { made.append(state.arcs.count - 1) }
            }
        }
        for (index, (own, other)) in [(left, right), (right, left)].enumerated() {
            for x in own {
                let nic = state.identities[x].nic
                for y in other {
                    let peer = state.identities[y].nic.linkLocal
                    routes[index].lines.append(
                        inside(x, CommandText.linkRoute(to: peer, device: nic.device, source: nic.linkLocal)))
                }
            }
        }
        let formed = emit("links", "Arc between \(a.value) and \(b.value)", .arc, routes)
        addQspnArcs(made, after: formed)
    }

    /// `add_qspn_arc` on both ends of new qspn-arcs (OP-4), then the ETPs they carry.
    mutating func addQspnArcs(_ arcIndices: [Int], after: Int?) {
        var blocks: [(system: String, lines: [String])] = []
        for index in arcIndices {
            for end in state.arcs[index].ends {
                guard let peer = state.arcs[index].peer(of: end) else { continue }
                blocks.append((state.identities[end].system, createTable(owner: end, peer: peer)))
            }
        }
        emit("tables", "Forwarding tables for the new qspn-arcs", .forwardingTable, blocks, after: [after])
        var messages: [(Int, Int)] = []
        for index in arcIndices {
            let ends = state.arcs[index].ends
            messages += [(ends[0], ends[1]), (ends[1], ends[0])]
        }
        propagate(messages)
    }

    /// Both ends are started systems running qspnclient, and they differ.
    mutating func validateArcEnds(_ a: Located<String>, _ b: Located<String>) -> Bool {
        guard a.value != b.value else {
            fail(
                .invalidValue, "an arc from '\(a.value)' to itself", at: b.location,
                hint: "an arc joins two different systems")
            return false
        }
        for end in [a, b] where state.principal(of: end.value) == nil {
            let host = config(end.value)?.address == nil
            fail(
                .invalidValue,
                host
                    ? "system '\(end.value)' is a subnet host and forms no Netsukuku arc"
                    : "system '\(end.value)' is not started yet",
                at: end.location,
                hint: host
                    ? "its gateway reaches it by the subnet's own routes"
                    : "put '- init: [\(end.value)]' before the arc")
            return false
        }
        return true
    }
}
