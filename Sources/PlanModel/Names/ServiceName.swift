/// The name of a service a plan starts on a node (`qspn`, `bird`): the namespace-name rule (letters, digits,
/// `_`, `.`, `-`, 1–64 bytes, not `.` or `..`) — it names a directory on the node, so it must never leave it.
public struct ServiceName: ValidatedName {
    public static let kind = "service"
    public let rawValue: String

    public init?(rawValue: String) {
        guard Names.isValidNamespaceName(rawValue) else { return nil }
        self.rawValue = rawValue
    }
}
