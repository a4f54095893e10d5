public import PlanModel

/// A run's identities and arcs step by step, replayed from the journal: each node's state when the run
/// connected, then every unit's recorded state changes, step after step in plan order (parallel stages
/// end in the same state as document order — that is what allowed them). Pure.
public struct RunStateReplay: Sendable {
    /// What one identity holds at a moment.
    struct Holding: Sendable {
        var addresses: Set<IPAddress> = []
        /// Link-local /32 routes without a gateway: one half of an arc each.
        var arcRoutes: Set<Route> = []
    }

    /// One frame per step of the plan (a step that did not run repeats the state before it).
    public let frames: [TopologyFrame]
    /// Whether anything was recorded to replay (initial states or state changes).
    public let hasRecords: Bool
    private let snapshots: [[TopologyFrame.Identity: Holding]]

    public init(journal: RunJournal) {
        var state: [TopologyFrame.Identity: Holding] = [:]
        for node in journal.initialStates {
            for namespace in node.namespaces.values {
                var holding = Holding()
                for link in namespace.links { holding.addresses.formUnion(link.addresses.map(\.address)) }
                holding.arcRoutes = Set(namespace.routes.filter(Self.isArcRoute))
                state[TopologyFrame.Identity(node: node.node, namespace: namespace.name)] = holding
            }
        }
        for node in journal.nodes where state[TopologyFrame.Identity(node: node)] == nil {
            state[TopologyFrame.Identity(node: node)] = Holding()
        }
        let byStep = Dictionary(grouping: journal.results, by: \.unit.stepIndex)
        var snapshots: [[TopologyFrame.Identity: Holding]] = []
        var frames: [TopologyFrame] = []
        for (index, step) in journal.plan.steps.enumerated() {
            for result in byStep[index] ?? [] {
                Self.apply(result.stateChanges ?? [], node: result.unit.node, to: &state)
            }
            snapshots.append(state)
            frames.append(Self.frame(state, label: "after step \(index + 1) \(step.id)"))
        }
        self.frames = frames
        self.snapshots = snapshots
        self.hasRecords = !journal.initialStates.isEmpty || journal.results.contains { $0.stateChanges != nil }
    }

    /// The identities holding `address` after step `index` (before step 0: the initial state's).
    public func owners(of address: IPAddress, afterStep index: Int) -> [TopologyFrame.Identity] {
        guard snapshots.indices.contains(index) else { return [] }
        return snapshots[index].filter { $0.value.addresses.contains(address) }.map(\.key).sorted()
    }

    static func isArcRoute(_ route: Route) -> Bool {
        route.kind == .unicast && route.gateway == nil && route.destination.isHost
            && route.destination.address.isLinkLocal && route.table != RouteTable.local
    }

    private static func apply(
        _ changes: [StateChange], node: NodeName, to state: inout [TopologyFrame.Identity: Holding]
    ) {
        for change in changes {
            let identity = TopologyFrame.Identity(node: node, namespace: change.namespace)
            switch (change.aspect, change.direction) {
            case (.namespace, .added):
                state[TopologyFrame.Identity(node: node, namespace: change.text)] = Holding()
            case (.namespace, .removed):
                state[TopologyFrame.Identity(node: node, namespace: change.text)] = nil
            case (.address, let direction):
                guard let address = change.address?.address else { continue }
                if direction == .added {
                    state[identity, default: Holding()].addresses.insert(address)
                } else {
                    state[identity]?.addresses.remove(address)
                }
            case (.route, let direction):
                guard let route = change.route, isArcRoute(route) else { continue }
                if direction == .added {
                    state[identity, default: Holding()].arcRoutes.insert(route)
                } else {
                    state[identity]?.arcRoutes.remove(route)
                }
            default:
                continue
            }
        }
    }

    private static func frame(_ state: [TopologyFrame.Identity: Holding], label: String) -> TopologyFrame {
        var frame = TopologyFrame(label: label)
        for (identity, holding) in state {
            frame.identities[identity] = holding.addresses.filter(\.isLinkLocal).sorted().map(\.description)
        }
        for (identity, holding) in state {
            for route in holding.arcRoutes {
                let target = route.destination.address
                for owner in state.keys.sorted()
                where owner != identity && state[owner]?.addresses.contains(target) == true {
                    frame.arcs.insert(TopologyFrame.Arc(from: identity, to: owner, device: route.device))
                }
            }
        }
        return frame
    }
}
