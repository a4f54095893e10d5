/// The kernel state of one network namespace of a node, as the model predicts it.
public struct NamespaceState: Sendable, Hashable, Codable {
    /// Nil for the node's default namespace.
    public var name: String?
    /// Interfaces in creation order.
    public var links: [Link]
    /// IPv4 routes of every table; routes of one table and destination in the kernel's order (by metric,
    /// then insertion), others in the order they were written.
    public var routes: [Route]
    /// Routing tables the kernel has created: a table exists from the first route written to it (even by a
    /// write that then fails) until the namespace ends, even when emptied. A new namespace has none, not even
    /// main or local (verified on Linux 6.18: `ip route flush table main` in a namespace without routes fails
    /// with "FIB table does not exist"). When not `tablesKnown`, a table missing here may still exist.
    public var kernelTables: Set<UInt32>
    /// False when the model started from a dump: a table without routes may or may not exist.
    public var tablesKnown: Bool
    /// Policy rules in the kernel's order (by priority, then insertion).
    public var rules: [PolicyRule]
    public var iptables: IptablesState
    /// Kernel parameters written by the plan (`net.ipv4.conf.eth1.rp_filter` → `0`).
    public var sysctls: [String: String]
    /// Parts the model cannot predict any more (after a command it does not model).
    public var unknown: Set<StateAspect>

    public init(
        name: String?, links: [Link] = [], routes: [Route] = [], kernelTables: Set<UInt32> = [],
        tablesKnown: Bool = true, rules: [PolicyRule] = PolicyRule.defaults, iptables: IptablesState = IptablesState(),
        sysctls: [String: String] = [:], unknown: Set<StateAspect> = []
    ) {
        self.name = name
        self.links = links
        self.routes = routes
        self.kernelTables = kernelTables
        self.tablesKnown = tablesKnown
        self.rules = rules
        self.iptables = iptables
        self.sysctls = sysctls
        self.unknown = unknown
    }

    /// `netns migr01` or `the default namespace`, for messages.
    public var label: String { name.map { "netns \($0)" } ?? "the default namespace" }

    public func link(named name: String) -> Link? { links.first { $0.name == name } }

    func linkIndex(named name: String) -> Int? { links.firstIndex { $0.name == name } }

    /// Routes of one table, in order.
    public func routes(inTable table: UInt32) -> [Route] { routes.filter { $0.table == table } }

    /// Whether any interface of the namespace has this IPv4 address.
    public func hasLocalAddress(_ address: IPAddress) -> Bool {
        links.contains { $0.addresses.contains { $0.address == address } }
    }

    /// Whether the kernel has this table; nil when the model cannot tell.
    public func tableExists(_ table: UInt32) -> Bool? {
        if kernelTables.contains(table) || routes.contains(where: { $0.table == table }) { return true }
        return tablesKnown ? false : nil
    }
}
