/// The name of a topology node: letters, digits, `-` and `_`, 1–63 bytes, starting with a letter or digit.
///
/// Node names become hostnames, file names, `ssh` host names and journal keys, so a value of this type has
/// always passed `Names.isValidNodeName`. Aliases (`𝛽`) are not node names; `Topology.node(named:)` resolves them.
public struct NodeName: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A valid node name, or nil.
    public init?(rawValue: String) {
        guard Names.isValidNodeName(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A valid node name, or nil.
    public init?(_ text: some StringProtocol) { self.init(rawValue: String(text)) }

    public var description: String { rawValue }

    public static func < (lhs: NodeName, rhs: NodeName) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = NodeName(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a valid node name"))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension NodeName: ExpressibleByStringLiteral {
    /// For names written in source code (tests, built-in topologies); a literal that is not a valid name is a
    /// programming error.
    public init(stringLiteral value: String) {
        guard let name = NodeName(rawValue: value) else { preconditionFailure("'\(value)' is not a valid node name") }
        self = name
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
