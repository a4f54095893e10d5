/// The name of a named network namespace, as `ip netns` takes it (a file name under `/run/netns`): letters,
/// digits, `_`, `.` and `-`, 1–64 bytes, not `.` or `..`.
///
/// The default namespace has no name: it is `nil` where a `NamespaceName?` is expected, and the wire format
/// spells it out (`NetnsField`), so no legal name ever stands for "no namespace".
public struct NamespaceName: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A valid namespace name, or nil.
    public init?(rawValue: String) {
        guard Names.isValidNamespaceName(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A valid namespace name, or nil.
    public init?(_ text: some StringProtocol) { self.init(rawValue: String(text)) }

    public var description: String { rawValue }

    /// The rule, as a hint for an input error.
    public static let rule = "use letters, digits, '_', '.', '-' (at most 64), as `ip netns add` accepts"

    /// The message for a text that is not a namespace name.
    public static func problem(_ text: String) -> String { "'\(text)' is not a network namespace name" }

    public static func < (lhs: NamespaceName, rhs: NamespaceName) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = NamespaceName(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a valid namespace name"))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension NamespaceName: ExpressibleByStringLiteral {
    /// For names written in source code; a literal that is not a valid name is a programming error.
    public init(stringLiteral value: String) {
        guard let name = NamespaceName(rawValue: value) else {
            preconditionFailure("'\(value)' is not a valid namespace name")
        }
        self = name
    }
}
