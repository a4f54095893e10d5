/// One way the found state differs from the prediction.
public struct StateDifference: Sendable, Hashable, Codable, CustomStringConvertible {
    public var node: NodeName
    /// Nil for the default namespace (and node-wide subjects).
    public var namespace: String?
    /// What differs: `table ntk_from_00:16:3E:EC:A3:E1`, `rules`, `link migr01_eth1`, `iptables nat POSTROUTING`.
    public var subject: String
    /// Nil: the model expected nothing there.
    public var expected: String?
    /// Nil: nothing was found there.
    public var found: String?

    public init(node: NodeName, namespace: String?, subject: String, expected: String?, found: String?) {
        self.node = node
        self.namespace = namespace
        self.subject = subject
        self.expected = expected
        self.found = found
    }

    /// `table ntk_from_00:16:3E:EC:A3:E1 in migr01 on beta: expected 10.0.0.20/31 via 169.254.94.223 dev
    /// migr01_eth1, found unreachable`.
    public var description: String {
        let place = namespace.map { " in \($0)" } ?? ""
        return "\(subject)\(place) on \(node): expected \(expected ?? "nothing"), found \(found ?? "nothing")"
    }
}
