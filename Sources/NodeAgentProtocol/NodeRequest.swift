public import PlanModel

/// What the orchestrator asks a node agent to do; the vocabulary of the request frames.
///
/// One enum whose cases carry nested payload structs, like swift-nio-ssh's `SSHMessage`. Every value is
/// plain data: it can be logged, journaled and compared; `FrameEncoder` turns it into bytes and refuses
/// what could not be sent safely.
public enum NodeRequest: Sendable, Hashable, Codable {
    /// Asks for the protocol version and the node's tool versions; the first request on a connection.
    case hello
    /// Runs one block of bash, then the state queries, in one round trip.
    case run(RunRequest)
    /// Pings a list of addresses concurrently.
    case ping(PingRequest)

    /// The kind as it appears on the wire and in messages: `hello`, `run` or `ping`.
    public var kindName: String {
        switch self {
        case .hello: "hello"
        case .run: "run"
        case .ping: "ping"
        }
    }
}

extension NodeRequest {
    /// A block of bash text to run on the node.
    public struct RunRequest: Sendable, Hashable, Codable {
        /// The bash text, one or more lines. Line numbers in `RunResult.failedLine` count from its first line.
        public var script: String
        /// Runs the block inside `ip netns exec NAME`; nil runs it in the agent's own namespace.
        public var netns: NamespaceName?
        /// How long the block may run; past it, its process group gets SIGTERM, then SIGKILL, and the result
        /// says `timedOut`. Nil lets it run until the caller's deadline.
        public var timeout: Duration?
        /// Stops at the first failing command with bash `set -e` semantics: commands tested by `if`, `while`,
        /// `&&`, `||` or `!` do not stop the block (documented pages rely on exactly that).
        public var stopAtFirstFailure: Bool
        /// Read-only state dumps run after the block, in the same round trip. A failing query does not change
        /// the block's result; its status is reported in its own `StateOutput`.
        public var stateQueries: [StateQuery]
        /// Where the orchestrator keeps a long stdout/stderr (nil: whole in the answer). Not sent to the agent.
        public var outputFiles: OutputFiles?

        public init(
            script: String, netns: NamespaceName? = nil, timeout: Duration? = nil, stopAtFirstFailure: Bool = true,
            stateQueries: [StateQuery] = []
        ) {
            self.script = script
            self.netns = netns
            self.timeout = timeout
            self.stopAtFirstFailure = stopAtFirstFailure
            self.stateQueries = stateQueries
        }
    }

    /// A reachability check of several addresses, pinged concurrently by the agent.
    public struct PingRequest: Sendable, Hashable, Codable {
        /// IPv4 or IPv6 literals; names are refused so that no lookup happens.
        public var addresses: [String]
        /// Pings from inside `ip netns exec NAME`; nil pings from the agent's own namespace.
        public var netns: NamespaceName?
        /// Echo requests per address (`ping -c`).
        public var count: Int
        /// How long to wait for each reply (`ping -W`, sent in milliseconds).
        public var timeout: Duration

        public init(addresses: [String], netns: NamespaceName? = nil, count: Int = 1, timeout: Duration = .seconds(1)) {
            self.addresses = addresses
            self.netns = netns
            self.count = count
            self.timeout = timeout
        }
    }
}
