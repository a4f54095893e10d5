/// The version of the frame protocol between the orchestrator and the node agent.
///
/// Bumped on any incompatible change. The agent announces its version twice: in its ready banner
/// (`TBAGENT/2 READY`) and in the `hello` response, whose layout is frozen across versions so that a
/// mismatch can always be reported instead of being misread as garbage.
public struct ProtocolVersion: Sendable, Hashable, Codable, CustomStringConvertible {
    public let major: Int

    public init(_ major: Int) { self.major = major }

    /// The version this build speaks.
    public static let current = ProtocolVersion(2)

    public var description: String { "\(major)" }

    /// The magic that starts every request header, e.g. `TBREQ/2`.
    var requestMagic: String { "TBREQ/\(major)" }

    /// The magic that starts every response header, e.g. `TBRES/2`.
    var responseMagic: String { "TBRES/\(major)" }

    /// The line the agent prints once it is ready to read requests, e.g. `TBAGENT/2 READY`.
    var banner: String { "TBAGENT/\(major) READY" }
}
