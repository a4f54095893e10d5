public import PlanModel

/// What kind of IP a prefix or an own address is (domain.md §2.1 type field).
public enum PrefixKind: Sendable, Hashable, Codable, CustomStringConvertible {
    case global
    case anonymous
    /// Internal to the node's g-node of this level (1 … levels−1); level 0 is the localhost synonym.
    case `internal`(level: Int)

    public var description: String {
        switch self {
        case .global: "global"
        case .anonymous: "anonymising"
        case .internal(let level): "internal-L\(level)"
        }
    }

    /// The level k of an internal kind, nil otherwise.
    public var internalLevel: Int? {
        if case .internal(let level) = self { level } else { nil }
    }
}

/// One prefix of a destination, as it goes into table `ntk` and the forwarding tables.
public struct DestinationPrefix: Sendable, Hashable, Codable, CustomStringConvertible {
    public var prefix: IPPrefix
    public var kind: PrefixKind

    public init(prefix: IPPrefix, kind: PrefixKind) {
        self.prefix = prefix
        self.kind = kind
    }

    /// `10.0.0.28/32`: always with the length, as the documentation writes routes.
    public var description: String { prefix.withLength }
}

/// A destination of an identity's routing tables: the g-node (level, id) seen from the identity's address,
/// that is its sibling with id `id` inside its own level-(level+1) g-node, and the prefixes that reach it.
public struct Destination: Sendable, Hashable, Codable {
    public var level: Int
    public var id: Int
    /// The destination g-node itself.
    public var gnode: GNodeAddress
    public var prefixes: [DestinationPrefix]

    public init(level: Int, id: Int, gnode: GNodeAddress, prefixes: [DestinationPrefix]) {
        self.level = level
        self.id = id
        self.gnode = gnode
        self.prefixes = prefixes
    }

    /// Whether `address` lies in this destination.
    public func contains(_ address: NetsukukuAddress) -> Bool { gnode.contains(address) }
}

/// An IP a principal identity assigns to its managed NICs.
public struct OwnAddress: Sendable, Hashable, Codable {
    public var ip: IPAddress
    public var kind: PrefixKind

    public init(ip: IPAddress, kind: PrefixKind) {
        self.ip = ip
        self.kind = kind
    }
}
