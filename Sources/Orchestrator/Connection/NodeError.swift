public import PlanModel

/// A failure to talk to a node (not a command that failed on it: that is a result).
public struct NodeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Connecting, the handshake, the host key or authentication failed.
        case connection(ConnectionError)
        /// The agent died, timed out, desynchronised or refused a request.
        case agent(AgentError)
        /// A local program (the agent behind `nsenter`) could not be started.
        case system(SystemError)
    }

    public var node: NodeName
    public var address: String
    public var kind: Kind

    public init(node: NodeName, address: String, kind: Kind) {
        self.node = node
        self.address = address
        self.kind = kind
    }

    /// True for failures to reach or authenticate to the node (exit code 3).
    public var isConnectionFailure: Bool {
        switch kind {
        case .connection: true
        case .agent(let error): error.code == .agentExited || error.code == .versionMismatch
        case .system: true
        }
    }

    public var description: String {
        switch kind {
        case .connection(let error): "\(error)"
        case .agent(let error): "error: node '\(node)' (\(address)): \(error)"
        case .system(let error):
            "error: node '\(node)' (\(address)): \(error)\nhint: check that the lab is up (testbed lab status)"
        }
    }
}
