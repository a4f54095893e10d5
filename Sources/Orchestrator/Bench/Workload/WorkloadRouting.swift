import Netsukuku
import PlanModel

/// Routes of the generated workload, computed by the Netsukuku domain (`RouteCalculator`) over the systems'
/// arcs, as an ETP-converged network has them, and a hop-by-hop simulation of forwarding
/// (`ForwardingSimulator`) so every generated reach check is deliverable.
struct WorkloadRouting {
    let systems: [String: WorkloadSystem]
    let order: [String]
    let mapping = IPMapping(scheme: .pointOfConcept)
    private let calculator: RouteCalculator
    private let index: [String: Int]

    init(systems: [String: WorkloadSystem], order: [String]) {
        self.systems = systems
        self.order = order.filter { systems[$0] != nil }
        var index: [String: Int] = [:]
        for (position, name) in self.order.enumerated() { index[name] = position }
        self.index = index
        var graph = RoutingGraph(addresses: self.order.compactMap { systems[$0]?.address })
        for (a, b) in WorkloadSystem.arcs {
            if let from = index[a], let to = index[b] { graph.addArc(from, to) }
        }
        calculator = RouteCalculator(mapping: mapping, graph: graph)
    }

    private func gateway(_ node: Int) -> IPAddress {
        systems[order[node]].flatMap { IPAddress($0.linkLocal) } ?? .v4(0)
    }

    /// The routes of table `ntk` of a system, prefix by prefix.
    func mainRoutes(of name: String) -> [TableRoute] {
        guard let source = index[name], let system = systems[name] else { return [] }
        return calculator.mainRoutes(
            of: source, destinations: mapping.destinations(of: system.address), limits: .init(), device: "eth1",
            sourceIP: { mapping.sourceIP(of: system.address, for: $0) }, gateway: gateway)
    }

    /// The routes of the table of `name` for packets from `neighbour`.
    func forwardingRoutes(of name: String, from neighbour: String) -> [TableRoute] {
        guard let source = index[name], let peer = index[neighbour], let system = systems[name] else { return [] }
        return calculator.forwardingRoutes(
            of: source, from: peer, destinations: mapping.destinations(of: system.address), limits: .init(),
            device: "eth1", gateway: gateway)
    }

    /// The forwarding simulator over every system's converged tables (every forwarding table has its rule).
    func simulator() -> ForwardingSimulator {
        let nodes = order.compactMap { name -> ForwardingSimulator.Node? in
            guard let system = systems[name], let linkLocal = IPAddress(system.linkLocal) else { return nil }
            func entries(_ routes: [TableRoute]) -> ForwardingSimulator.Table {
                Dictionary(routes.map { ($0.prefix.prefix, $0.choice) }, uniquingKeysWith: { first, _ in first })
            }
            var tables: [MACAddress: ForwardingSimulator.Table] = [:]
            for neighbour in system.neighbours {
                if let mac = systems[neighbour].flatMap({ MACAddress($0.mac) }) {
                    tables[mac] = entries(forwardingRoutes(of: name, from: neighbour))
                }
            }
            let own = Set(mapping.ownAddresses(of: system.address).map(\.ip) + [mapping.localhost])
            return ForwardingSimulator.Node(
                mac: MACAddress(system.mac), linkLocal: linkLocal, ownIPs: own,
                commonTables: [entries(mainRoutes(of: name))], forwardingTables: tables)
        }
        return ForwardingSimulator(nodes: nodes)
    }

    /// Whether a ping from `source` to `target` gets there and its answer (to the route's `src`) gets back.
    func reaches(from source: String, to target: IPAddress, in simulator: ForwardingSimulator) -> Bool {
        guard let from = index[source], let owner = simulator.deliveryNode(from: from, to: target) else {
            return false
        }
        let route = mainRoutes(of: source).last { $0.prefix.prefix.contains(target) }
        guard case .via(_, _, let src?) = route?.choice else { return false }
        return simulator.delivers(from: owner, to: src)
    }
}
