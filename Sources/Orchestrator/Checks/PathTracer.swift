import Foundation
public import PlanModel

/// Follows a packet hop by hop through the state model of every node — mangle MARK rules, policy rules,
/// the table's longest match, the next hop's owner, forwarding, SNAT/NETMAP — and says where it is dropped
/// or sent astray, and which plan line put the route or rule that did it there. Pure.
///
/// `10.0.0.18 from alfa: alfa table ntk via 169.254.96.141 (beta) → beta: mark 250 → table ntk_from_… says
/// unreachable 10.0.0.16/30 (plan.yaml:412)`.
public struct PathTracer: Sendable {
    /// What put a route, rule or iptables rule on a node (nil: it was there when the run started).
    public typealias Provenance = @Sendable (NodeName, NamespaceName?, PathTracer.Subject) -> InputLocation?

    public enum Subject: Sendable, Hashable {
        case route(Route)
        case rule(PolicyRule)
        case iptables(table: String, chain: String, rule: String)
        case sysctl(String)
    }

    /// One hop the packet reached, for asking that node's kernel the same question.
    public struct Hop: Sendable, Hashable {
        public var node: NodeName
        public var netns: NamespaceName?
        /// The interface it came in on (nil where it starts).
        public var incoming: String?
        public var source: IPAddress?
        public var mark: UInt32
        /// What the model decided here: the route taken (nil when it drops the packet or delivers it).
        public var route: Route?
        public var tableName: String?
    }

    public struct Trace: Sendable {
        /// The path on one line, ending with the verdict.
        public var line: String
        public var hops: [Hop]
        /// Whether the packet reached the node that has the destination address.
        public var delivered: Bool
        /// The source address the packet arrives with, after any SNAT/NETMAP (where a reply goes).
        public var finalSource: IPAddress?
        public var destinationNode: NodeName?
        /// Why it did not arrive, without the path (nil when delivered).
        public var verdict: String?
    }

    public let states: [NodeName: NodeState]
    public let provenance: Provenance

    public init(states: [NodeName: NodeState], provenance: @escaping Provenance = { _, _, _ in nil }) {
        self.states = states
        self.provenance = provenance
    }

    /// The path of a packet from `node` (in `netns`) to `destination`.
    public func trace(
        from node: NodeName, netns: NamespaceName? = nil, to destination: IPAddress, source: IPAddress? = nil
    ) -> Trace {
        var walk = Walk(line: "\(destination) from \(node):", hop: Hop(node: node, netns: netns, source: source))
        var seen: Set<String> = []
        for _ in 0..<16 {
            guard let namespace = states[walk.hop.node]?.namespace(walk.hop.netns?.rawValue) else {
                return walk.end(dropped: "→ \(walk.hop.node): the model has no state for it")
            }
            if owns(namespace, destination) {
                walk.hops.append(walk.hop)
                return walk.end(deliveredAt: walk.hop.node)
            }
            guard seen.insert("\(walk.hop.node) \(walk.hop.incoming ?? "-") \(walk.hop.mark)").inserted else {
                return walk.end(dropped: "→ \(walk.hop.node) again: a routing loop")
            }
            if let verdict = advance(&walk, in: namespace, to: destination) { return walk.end(dropped: verdict) }
        }
        return walk.end(dropped: "→ more than 16 hops")
    }

    /// One hop: forwarding, the mark, the route, the next node. Returns the verdict when the packet goes no
    /// further.
    private func advance(_ walk: inout Walk, in namespace: NamespaceState, to destination: IPAddress) -> String? {
        let hop = walk.hop
        if hop.incoming != nil, namespace.sysctls["net.ipv4.ip_forward"] == "0" {
            walk.hops.append(hop)
            return "→ \(hop.node) drops it: forwarding is off (net.ipv4.ip_forward=0)"
                + origin(hop, .sysctl("net.ipv4.ip_forward"))
        }
        let chain = hop.incoming == nil ? "OUTPUT" : "PREROUTING"
        if hop.incoming != nil { walk.line += " → \(hop.node):" }
        if let (mark, rule) = markRule(namespace, chain: chain, hop: hop, destination: destination, mac: walk.mac) {
            walk.hop.mark = mark
            walk.line += " mark \(mark)" + origin(hop, .iptables(table: "mangle", chain: chain, rule: rule))
        }
        switch route(namespace, node: hop.node, hop: walk.hop, destination: destination) {
        case .dropped(let text):
            walk.hops.append(walk.hop)
            return text
        case .found(let route, let tableName):
            walk.hop.route = route
            walk.hop.tableName = tableName
            walk.hops.append(walk.hop)
            let gateway = route.gateway ?? destination
            let taken = "\(hop.node) table \(tableName) via \(gateway)"
            guard let (next, interface) = owner(of: gateway, besides: hop.node) else {
                return "\(taken) dev \(route.device ?? "?")\(origin(hop, .route(route))): no node has \(gateway), "
                    + "misrouted"
            }
            var source = hop.source ?? route.preferredSource ?? firstAddress(namespace, device: route.device)
            if let (translated, rule) = sourceNAT(namespace, device: route.device, source: source) {
                source = translated
                walk.line +=
                    " SNAT to \(translated)" + origin(hop, .iptables(table: "nat", chain: "POSTROUTING", rule: rule))
            }
            walk.line += " \(taken) (\(next))"
            walk.mac = namespace.links.first { $0.name == route.device }?.mac
            walk.hop = Hop(node: next, netns: nil, incoming: interface, source: source)
            return nil
        }
    }

    /// ` (plan.yaml:12)` for what a plan line put there; empty for what was there when the run started.
    func origin(_ hop: Hop, _ subject: Subject) -> String {
        provenance(hop.node, hop.netns, subject).map { " (\($0.fileAndLine))" } ?? ""
    }

    func owns(_ namespace: NamespaceState, _ address: IPAddress) -> Bool {
        namespace.links.contains { $0.addresses.contains { $0.address == address } }
    }

    func firstAddress(_ namespace: NamespaceState, device: String?) -> IPAddress? {
        namespace.links.first { $0.name == device }?.addresses.first?.address
    }

    /// The node (default namespace) whose interface has `address`, and that interface.
    func owner(of address: IPAddress, besides node: NodeName) -> (NodeName, String)? {
        for (name, state) in states.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where name != node {
            guard let namespace = state.namespace(nil) else { continue }
            if let link = namespace.links.first(where: { $0.addresses.contains { $0.address == address } }) {
                return (name, link.name)
            }
        }
        return nil
    }
}

extension PathTracer.Hop {
    public init(node: NodeName, netns: NamespaceName?, incoming: String? = nil, source: IPAddress?, mark: UInt32 = 0) {
        self.init(
            node: node, netns: netns, incoming: incoming, source: source, mark: mark, route: nil, tableName: nil)
    }
}

/// The packet so far: the path line, the hops behind it, where it is, and the MAC it was last sent from.
private struct Walk {
    var line: String
    var hop: PathTracer.Hop
    var hops: [PathTracer.Hop] = []
    var mac: MACAddress?

    init(line: String, hop: PathTracer.Hop) {
        self.line = line
        self.hop = hop
    }

    func end(dropped verdict: String) -> PathTracer.Trace {
        let text = verdict.trimmingCharacters(in: .whitespaces)
        let bare = text.hasPrefix("→ ") ? String(text.dropFirst(2)) : text
        return PathTracer.Trace(
            line: line + " " + text, hops: hops, delivered: false, finalSource: hop.source, destinationNode: nil,
            verdict: bare.hasPrefix(hop.node.rawValue) ? bare : "\(hop.node): " + bare)
    }

    func end(deliveredAt node: NodeName) -> PathTracer.Trace {
        let arrived = hops.count > 1 ? "→ \(node): delivered" : "delivered at \(node)"
        return PathTracer.Trace(
            line: line + " " + arrived, hops: hops, delivered: true, finalSource: hop.source, destinationNode: node,
            verdict: nil)
    }
}
