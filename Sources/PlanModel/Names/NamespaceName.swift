/// The name of a named network namespace, as `ip netns` takes it (a file name under `/run/netns`): letters,
/// digits, `_`, `.` and `-`, 1–64 bytes, not `.` or `..`.
///
/// The default namespace has no name: it is `nil` where a `NamespaceName?` is expected, and the wire format
/// spells it out (`NetnsField`), so no legal name ever stands for "no namespace".
public struct NamespaceName: ValidatedName {
    public static let kind = "namespace"
    public let rawValue: String

    public init?(rawValue: String) {
        guard Names.isValidNamespaceName(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// The rule, as a hint for an input error.
    public static let rule = "use letters, digits, '_', '.', '-' (at most 64), as `ip netns add` accepts"

    /// The message for a text that is not a namespace name.
    public static func problem(_ text: String) -> String { "'\(text)' is not a network namespace name" }
}
