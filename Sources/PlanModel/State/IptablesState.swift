/// The iptables rules of one namespace: per table, per built-in chain, in order.
///
/// A rule is kept as the text `iptables-save` prints after `-A CHAIN ` (e.g.
/// `-m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xfa/0xffffffff`); commands are translated to
/// that form, so a command's rule and a dumped rule compare as strings. A table that does not exist and a
/// table whose chains are empty are the same to the model.
public struct IptablesState: Sendable, Hashable, Codable {
    /// table → chain → rules.
    public var tables: [String: [String: [String]]]

    public init(tables: [String: [String: [String]]] = [:]) { self.tables = tables }

    /// The built-in chains of the tables the model knows.
    public static let builtinChains: [String: [String]] = [
        "filter": ["INPUT", "FORWARD", "OUTPUT"],
        "nat": ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        "raw": ["PREROUTING", "OUTPUT"],
    ]

    public func rules(table: String, chain: String) -> [String] { tables[table]?[chain] ?? [] }

    /// Rules with empty tables and chains dropped, for comparison.
    public var normalised: [String: [String: [String]]] {
        var result: [String: [String: [String]]] = [:]
        for (table, chains) in tables {
            let kept = chains.filter { !$0.value.isEmpty }
            if !kept.isEmpty { result[table] = kept }
        }
        return result
    }

    public static func == (lhs: IptablesState, rhs: IptablesState) -> Bool { lhs.normalised == rhs.normalised }
    public func hash(into hasher: inout Hasher) { hasher.combine(normalised) }
}
