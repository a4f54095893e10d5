/// The version of the frame protocol between the orchestrator and the node agent.
///
/// Bumped on any incompatible change; the agent reports its version in `hello`, and a mismatch is refused.
public struct ProtocolVersion: Sendable, Hashable, Codable, CustomStringConvertible {
    public let major: Int

    public init(_ major: Int) { self.major = major }

    public static let current = ProtocolVersion(1)

    public var description: String { "\(major)" }
}
