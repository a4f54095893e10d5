/// A name that has passed its rule (a node, namespace or service name): a validated `String` with the usual
/// conformances. Codable comes from `RawRepresentable` (decoding a name that breaks the rule is an error).
public protocol ValidatedName: RawRepresentable<String>, Sendable, Hashable, Comparable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    /// What kind of name it is, for messages (`node`, `namespace`, `service`).
    static var kind: String { get }
}

extension ValidatedName {
    /// A valid name, or nil.
    public init?(_ text: some StringProtocol) { self.init(rawValue: String(text)) }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// For names written in source code; a literal that breaks the rule is a programming error.
    public init(stringLiteral value: String) {
        guard let name = Self(rawValue: value) else {
            preconditionFailure("'\(value)' is not a valid \(Self.kind) name")
        }
        self = name
    }
}
