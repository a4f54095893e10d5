/// One thing that appeared in or went from a node's kernel state between two moments (before and after a
/// block), by namespace and table — what a report's per-step state view lists.
///
/// `route` and `address` carry the structured value for the kinds that have one, so a report can follow
/// identities and arcs without reading the text back.
public struct StateChange: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Direction: String, Sendable, Hashable, Codable {
        case added, removed
    }

    public enum Aspect: String, Sendable, Hashable, Codable, CaseIterable {
        case namespace, link, address, route, rule, iptables, sysctl
        case rtTables = "rt_tables"
        /// A part of the state the model could not predict any more from here on.
        case unknown
    }

    public var direction: Direction
    public var aspect: Aspect
    /// The network namespace; nil for the node's default one (and for node-wide parts).
    public var namespace: String?
    /// Where in the namespace: the table of a route (`main`, `ntk`, `250`), `nat POSTROUTING` for an iptables
    /// rule, the interface of an address.
    public var table: String?
    /// The thing itself as `ip`/`iptables-save` print it.
    public var text: String
    public var route: Route?
    public var address: InterfaceAddress?

    public init(
        _ direction: Direction, _ aspect: Aspect, namespace: String?, table: String? = nil, text: String,
        route: Route? = nil, address: InterfaceAddress? = nil
    ) {
        self.direction = direction
        self.aspect = aspect
        self.namespace = namespace
        self.table = table
        self.text = text
        self.route = route
        self.address = address
    }

    /// `+ route table ntk: 10.0.0.22 via 169.254.94.223 dev eth1 (netns entr02)`.
    public var description: String {
        let sign = direction == .added ? "+" : "-"
        let place = table.map { " \($0)" } ?? ""
        let space = namespace.map { " (netns \($0))" } ?? ""
        return "\(sign) \(aspect.rawValue)\(place): \(text)\(space)"
    }
}
