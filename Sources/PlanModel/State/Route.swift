/// One IPv4 route of a routing table, normalised the way the kernel stores it and `ip -j route` shows it.
///
/// Two routes are the same when every field is equal; flags the kernel sets by itself (`linkdown`, `dead`,
/// `offload`) are not part of a route. The kernel identifies a route for `add`/`change` by table,
/// destination and metric (TOS is always 0 here); several routes share a key after `append` or `prepend`, or
/// when the kernel adds them itself (e.g. two `local` routes for one address on two devices).
public struct Route: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var table: UInt32
    public var kind: RouteKind
    /// The destination with host bits cleared.
    public var destination: IPPrefix
    public var gateway: IPAddress?
    public var device: String?
    public var preferredSource: IPAddress?
    public var scope: RouteScope
    public var routingProtocol: RouteProtocol
    public var metric: UInt32

    public init(
        table: UInt32 = RouteTable.main, kind: RouteKind = .unicast, destination: IPPrefix, gateway: IPAddress? = nil,
        device: String? = nil, preferredSource: IPAddress? = nil, scope: RouteScope = .universe,
        routingProtocol: RouteProtocol = .boot, metric: UInt32 = 0
    ) {
        self.table = table
        self.kind = kind
        self.destination = destination.network
        self.gateway = gateway
        self.device = device
        self.preferredSource = preferredSource
        self.scope = scope
        self.routingProtocol = routingProtocol
        self.metric = metric
    }

    /// `ip route` text without the table: `unreachable 10.0.0.16/31`, `10.0.0.20/31 via 169.254.94.223 dev
    /// migr01_eth1 src 10.0.0.28`, `local 10.0.0.32 dev lo proto kernel scope host src 10.0.0.32`.
    public var description: String { describe(includingDestination: true) }

    /// The same text without the destination (for "expected X, found unreachable").
    public func describe(includingDestination: Bool) -> String {
        var parts: [String] = []
        if kind != .unicast { parts.append(kind.rawValue) }
        if includingDestination {
            parts.append(destination.length == 0 ? "default" : destination.description)
        }
        if let gateway { parts.append("via \(gateway)") }
        if let device { parts.append("dev \(device)") }
        if routingProtocol != .boot { parts.append("proto \(routingProtocol)") }
        if scope != .universe { parts.append("scope \(scope)") }
        if let preferredSource { parts.append("src \(preferredSource)") }
        if metric != 0 { parts.append("metric \(metric)") }
        return parts.joined(separator: " ")
    }

    /// The kernel's identity of a route within a table for add/change/replace.
    var key: RouteKey { RouteKey(table: table, destination: destination, metric: metric) }

    public static func < (lhs: Route, rhs: Route) -> Bool {
        (lhs.table, lhs.destination, lhs.metric, lhs.description) < (
            rhs.table, rhs.destination, rhs.metric, rhs.description
        )
    }
}

struct RouteKey: Hashable {
    var table: UInt32
    var destination: IPPrefix
    var metric: UInt32
}

/// Table numbers with a fixed meaning.
public enum RouteTable {
    public static let unspec: UInt32 = 0
    public static let defaultTable: UInt32 = 253
    public static let main: UInt32 = 254
    public static let local: UInt32 = 255
}

/// The route type (`rtm_type`), spelled as `ip` spells it.
public enum RouteKind: String, Sendable, Hashable, Codable, CaseIterable {
    case unicast, local, broadcast, anycast, multicast, blackhole, unreachable, prohibit, `throw`, nat
    case xresolve

    /// Types that take no device or gateway.
    var isReject: Bool { [.blackhole, .unreachable, .prohibit, .throw].contains(self) }
}

/// A route scope (`rtm_scope`): `global`/universe 0, site 200, link 253, host 254, nowhere 255.
public struct RouteScope: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let universe = RouteScope(rawValue: 0)
    public static let site = RouteScope(rawValue: 200)
    public static let link = RouteScope(rawValue: 253)
    public static let host = RouteScope(rawValue: 254)
    public static let nowhere = RouteScope(rawValue: 255)

    /// `global`, `site`, `link`, `host`, `nowhere` or the number, as `ip` prints it.
    public var description: String {
        switch rawValue {
        case 0: "global"
        case 200: "site"
        case 253: "link"
        case 254: "host"
        case 255: "nowhere"
        default: "\(rawValue)"
        }
    }

    /// Parses `ip`'s scope names (`universe` too) or a number.
    public init?(name: String) {
        switch name {
        case "global", "universe": self = .universe
        case "site": self = .site
        case "link": self = .link
        case "host": self = .host
        case "nowhere": self = .nowhere
        default:
            guard let value = RTTablesFile.parseNumber(name), value <= 255 else { return nil }
            self.init(rawValue: UInt8(value))
        }
    }

    public static func < (lhs: RouteScope, rhs: RouteScope) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Who installed a route (`rtm_protocol`): `kernel` 2, `boot` 3 (what `ip route add` uses), `static` 4, ….
public struct RouteProtocol: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let unspec = RouteProtocol(rawValue: 0)
    public static let kernel = RouteProtocol(rawValue: 2)
    public static let boot = RouteProtocol(rawValue: 3)
    public static let staticRoute = RouteProtocol(rawValue: 4)

    /// iproute2 6.1's `rt_protos` names.
    static let names: [UInt8: String] = [
        0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated", 9: "ra", 10: "mrt",
        11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp", 15: "ntk", 16: "dhcp", 18: "keepalived",
        42: "babel", 99: "openr", 186: "bgp", 187: "isis", 188: "ospf", 189: "rip", 192: "eigrp",
    ]

    public var description: String { Self.names[rawValue] ?? "\(rawValue)" }

    public init?(name: String) {
        if let entry = Self.names.first(where: { $0.value == name }) {
            self.init(rawValue: entry.key)
        } else if let value = RTTablesFile.parseNumber(name), value <= 255 {
            self.init(rawValue: UInt8(value))
        } else {
            return nil
        }
    }
}
