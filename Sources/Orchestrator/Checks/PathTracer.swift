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
        public var incoming: String?
        public var source: IPAddress?
        public var mark: UInt32
    }

    public struct Trace: Sendable {
        /// The path on one line, then the verdict.
        public var lines: [String]
        public var hops: [Hop]
        /// Whether the packet reached the node that has the destination address.
        public var delivered: Bool
        /// The source address the packet left with, after any SNAT/NETMAP (where a reply goes).
        public var finalSource: IPAddress?
        public var destinationNode: NodeName?
    }

    public let states: [NodeName: NodeState]
    public let provenance: Provenance

    public init(states: [NodeName: NodeState], provenance: @escaping Provenance = { _, _, _ in nil }) {
        self.states = states
        self.provenance = provenance
    }

    /// The path of a packet from `node` (in `netns`) to `destination`.
    public func trace(from node: NodeName, netns: NamespaceName? = nil, to destination: IPAddress, source: IPAddress? = nil)
        -> Trace
    {
        var path = "\(destination) from \(node):"
        var hop = Hop(node: node, netns: netns, incoming: nil, source: source, mark: 0)
        var previousMAC: MACAddress?
        var hops: [Hop] = []
        var seen: Set<String> = []
        for _ in 0..<16 {
            guard let namespace = states[hop.node]?.namespace(hop.netns?.rawValue) else {
                return finish(path, "→ \(hop.node): the model has no state for it", hops, false, hop.source, nil)
            }
            if owns(namespace, destination) {
                hops.append(hop)
                return finish(path, "→ delivered at \(hop.node)", hops, true, hop.source, hop.node)
            }
            let key = "\(hop.node) \(hop.incoming ?? "-") \(hop.mark)"
            guard seen.insert(key).inserted else {
                return finish(path, "→ \(hop.node) again: a routing loop", hops, false, hop.source, nil)
            }
            if hop.incoming != nil {
                if let forwarding = namespace.sysctls["net.ipv4.ip_forward"], forwarding == "0" {
                    hops.append(hop)
                    let origin = provenance(hop.node, hop.netns, .sysctl("net.ipv4.ip_forward")).map { " (\($0.fileAndLine))" }
                    return finish(
                        path, "→ \(hop.node) drops it: forwarding is off (net.ipv4.ip_forward=0)\(origin ?? "")", hops,
                        false, hop.source, nil)
                }
            }
            let chain = hop.incoming == nil ? "OUTPUT" : "PREROUTING"
            if let (mark, rule) = markRule(namespace, chain: chain, hop: hop, destination: destination, mac: previousMAC) {
                hop.mark = mark
                let origin = provenance(hop.node, hop.netns, .iptables(table: "mangle", chain: chain, rule: rule))
                path += " \(hop.incoming == nil ? "" : "→ \(hop.node): ")mark \(mark)\(origin.map { " (\($0.fileAndLine))" } ?? "")"
            } else if hop.incoming != nil {
                path += " → \(hop.node):"
            }
            hops.append(hop)
            let lookup = route(namespace, node: hop.node, hop: hop, destination: destination)
            switch lookup {
            case .dropped(let text):
                return finish(path, text, hops, false, hop.source, nil)
            case .found(let route, let tableName):
                let gateway = route.gateway ?? destination
                guard let (next, interface) = owner(of: gateway, besides: hop.node) else {
                    let origin = provenance(hop.node, hop.netns, .route(route)).map { " (\($0.fileAndLine))" } ?? ""
                    return finish(
                        path,
                        " \(hop.node) table \(tableName) sends it via \(gateway) dev \(route.device ?? "?")\(origin), "
                            + "an address no node has: misrouted",
                        hops, false, hop.source, nil)
                }
                var source = hop.source ?? route.preferredSource ?? firstAddress(namespace, device: route.device)
                if let (translated, rule) = sourceNAT(namespace, device: route.device, source: source) {
                    source = translated
                    let origin = provenance(hop.node, hop.netns, .iptables(table: "nat", chain: "POSTROUTING", rule: rule))
                    path += " SNAT to \(translated)\(origin.map { " (\($0.fileAndLine))" } ?? "")"
                }
                path += " \(hop.node) table \(tableName) via \(gateway) (\(next))"
                previousMAC = namespace.links.first { $0.name == route.device }?.mac
                hop = Hop(node: next, netns: nil, incoming: interface, source: source, mark: 0)
            }
        }
        return finish(path, "→ more than 16 hops", hops, false, hop.source, nil)
    }

    private func finish(
        _ path: String, _ verdict: String, _ hops: [Hop], _ delivered: Bool, _ source: IPAddress?, _ node: NodeName?
    ) -> Trace {
        Trace(lines: [path + " " + verdict.trimmingCharacters(in: .whitespaces)], hops: hops, delivered: delivered,
            finalSource: source, destinationNode: node)
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
