/// One part of a namespace's kernel state, as the model tracks and checks it.
public enum StateAspect: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Interfaces: names, kinds, MACs, up/down.
    case links
    /// IPv4 addresses of the interfaces.
    case addresses
    /// IPv4 routes of every table.
    case routes
    /// Policy routing rules.
    case rules
    /// iptables rules.
    case iptables
    /// Kernel parameters set with `sysctl`.
    case sysctls

    public var description: String { rawValue }

    public static func < (lhs: StateAspect, rhs: StateAspect) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

/// A part of a node's state that is not inside one namespace.
public enum NodeAspect: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The set of named network namespaces (`ip netns list`).
    case namespaces
    /// `/etc/iproute2/rt_tables`.
    case rtTables

    public var description: String { rawValue }
}
