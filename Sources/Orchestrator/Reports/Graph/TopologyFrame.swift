public import PlanModel

/// What the topology looks like at one moment of a run, as far as a picture shows it: the identities (a
/// node's default namespace and each named namespace) with their link-local addresses, and the arcs.
///
/// An arc is half of a Netsukuku qspn-arc as the kernel holds it: a /32 link-local route from one identity
/// to an address another identity holds (`ip route add 169.254.94.223 dev eth1 src 169.254.96.141`).
public struct TopologyFrame: Sendable, Hashable {
    public struct Identity: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var node: NodeName
        /// Nil for the node's default namespace.
        public var namespace: String?

        public init(node: NodeName, namespace: String? = nil) {
            self.node = node
            self.namespace = namespace
        }

        public var description: String { namespace.map { "\(node)/\($0)" } ?? node.rawValue }

        public static func < (lhs: Identity, rhs: Identity) -> Bool {
            (lhs.node.rawValue, lhs.namespace ?? "") < (rhs.node.rawValue, rhs.namespace ?? "")
        }
    }

    /// A route from `from` straight to an address `to` holds.
    public struct Arc: Sendable, Hashable, Comparable {
        public var from: Identity
        public var to: Identity
        /// The interface the route leaves by, in `from`.
        public var device: String?

        public init(from: Identity, to: Identity, device: String? = nil) {
            self.from = from
            self.to = to
            self.device = device
        }

        public static func < (lhs: Arc, rhs: Arc) -> Bool {
            (lhs.from, lhs.to, lhs.device ?? "") < (rhs.from, rhs.to, rhs.device ?? "")
        }
    }

    /// Shown with the picture: `after step 7 arc-beta-gamma`.
    public var label: String
    /// Each identity with its link-local addresses (`169.254.96.141`).
    public var identities: [Identity: [String]]
    public var arcs: Set<Arc>

    public init(label: String, identities: [Identity: [String]] = [:], arcs: Set<Arc> = []) {
        self.label = label
        self.identities = identities
        self.arcs = arcs
    }
}
