/// The name of a topology node: letters, digits, `-` and `_`, 1–63 bytes, starting with a letter or digit.
///
/// Node names become hostnames, file names, `ssh` host names and journal keys, so a value of this type has
/// always passed `Names.isValidNodeName`. Aliases (`𝛽`) are not node names; `Topology.node(named:)` resolves them.
public struct NodeName: ValidatedName {
    public static let kind = "node"
    public let rawValue: String

    public init?(rawValue: String) {
        guard Names.isValidNodeName(rawValue) else { return nil }
        self.rawValue = rawValue
    }
}

extension Sequence where Element == NodeName {
    /// The names joined, as for strings (`alfa, beta`).
    public func joined(separator: String = "") -> String { map(\.rawValue).joined(separator: separator) }
}

/// Dictionaries keyed by node name encode as JSON objects (`{"alfa": …}`), not as arrays of pairs.
extension NodeName: CodingKeyRepresentable {
    public var codingKey: any CodingKey { Key(stringValue: rawValue) }

    public init?<T: CodingKey>(codingKey: T) { self.init(rawValue: codingKey.stringValue) }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
