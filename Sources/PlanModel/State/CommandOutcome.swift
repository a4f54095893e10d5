/// What the model says one command does.
public enum CommandOutcome: Sendable, Hashable, Codable {
    /// It succeeds (its effect is in the state).
    case success
    /// It fails on the real system; under `set -e` the block stops here.
    case failure(CommandFailure)
    /// The model does not know this command; what it may touch is now unknown.
    case notModelled(NotModelled)

    public var isFailure: Bool { if case .failure = self { true } else { false } }
}

/// Why a command fails, in the model's words and in the tool's.
public struct CommandFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Why, with the state it depends on: "route 10.0.0.20/31 does not exist in table … of netns migr01".
    public var reason: String
    /// What the real tool prints, e.g. `RTNETLINK answers: No such file or directory`.
    public var toolMessage: String
    /// The exit status the real tool returns.
    public var exitStatus: Int32
    /// What missing prior state would have made it succeed (for `replay`); nil when none would.
    public var missing: Prerequisite?

    public init(reason: String, toolMessage: String, exitStatus: Int32 = 2, missing: Prerequisite? = nil) {
        self.reason = reason
        self.toolMessage = toolMessage
        self.exitStatus = exitStatus
        self.missing = missing
    }

    public var description: String { "\(reason) (\(toolMessage))" }
}

/// A command outside the model, and what became unknown because of it.
public struct NotModelled: Sendable, Hashable, Codable, CustomStringConvertible {
    public var reason: String
    public var scope: UnknownScope

    public init(reason: String, scope: UnknownScope) {
        self.reason = reason
        self.scope = scope
    }

    public var description: String { reason }
}

/// The state a not-modelled command may have changed.
public enum UnknownScope: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Nothing the model tracks (only its exit status is unknown).
    case nothing
    /// Some aspects of one namespace (nil: the default one).
    case aspects(Set<StateAspect>, namespace: String?)
    /// A node-wide part.
    case node(Set<NodeAspect>)
    /// Everything on the node.
    case everything

    public var description: String {
        switch self {
        case .nothing: "nothing the model tracks"
        case .aspects(let aspects, let namespace):
            aspects.sorted().map(\.rawValue).joined(separator: ", ") + " of "
                + (namespace.map { "netns \($0)" } ?? "the default namespace")
        case .node(let aspects): aspects.map(\.rawValue).sorted().joined(separator: ", ")
        case .everything: "the whole node"
        }
    }
}

/// Prior state whose absence makes a command fail; `replay` synthesises it.
public enum Prerequisite: Sendable, Hashable, Codable {
    /// A named network namespace (with its macvlan `NS_eth1`, by convention).
    case namespace(String)
    /// A table name in `rt_tables`.
    case tableName(String)
    /// A route with this table and destination (the failing command's route shape is `route`).
    case route(namespace: String?, route: Route)
    /// A kernel routing table (created by writing a route to it).
    case kernelTable(namespace: String?, table: UInt32)
    /// An interface.
    case device(namespace: String?, name: String)
    /// A local address (for `src`), on this device.
    case localAddress(namespace: String?, address: IPAddress, device: String?)
    /// A link-scope route to a gateway through a device.
    case gatewayRoute(namespace: String?, gateway: IPAddress, device: String?)
    /// An address the command deletes.
    case address(namespace: String?, address: InterfaceAddress, device: String)
    /// A policy rule the command deletes; without `hasPriority` the kernel allocates its priority.
    case rule(namespace: String?, rule: PolicyRule, hasPriority: Bool)
    /// An iptables rule the command deletes.
    case iptablesRule(namespace: String?, table: String, chain: String, rule: String)
}
