/// What a node agent answers; the vocabulary of the response frames.
///
/// Each request gets exactly one response with the same id, in request order. A remote exit status is data
/// here (`RunResult.exitStatus`); it becomes an error only when a plan check says so.
public enum NodeResponse: Sendable, Hashable, Codable {
    /// The answer to `NodeRequest.hello`.
    case hello(HelloInfo)
    /// The answer to `NodeRequest.run`.
    case run(RunResult)
    /// The answer to `NodeRequest.ping`.
    case ping(PingResult)
    /// The agent could not even start the request: a network namespace that does not exist, a field it
    /// could not parse, an unknown request kind. Nothing of the request ran.
    case failure(String)

    /// The kind as it appears on the wire: `hello`, `run`, `ping` or `failure`.
    public var kindName: String {
        switch self {
        case .hello: "hello"
        case .run: "run"
        case .ping: "ping"
        case .failure: "failure"
        }
    }
}

extension NodeResponse {
    /// Who answered: the protocol version and the versions of the tools the agent relies on.
    public struct HelloInfo: Sendable, Hashable, Codable {
        /// The agent's protocol version; the connection is refused when it is not `ProtocolVersion.current`.
        public var protocolVersion: ProtocolVersion
        /// The version of the agent text (`AgentScript.version`).
        public var agentVersion: String
        /// `$HOSTNAME` on the node.
        public var hostname: String
        /// `/proc/sys/kernel/osrelease`, as `uname -r` prints it.
        public var kernelRelease: String
        /// `$BASH_VERSION`.
        public var bashVersion: String
        /// The first line of `ip -V`.
        public var iproute2Version: String
        /// The first line of `iptables --version`; empty when iptables is absent.
        public var iptablesVersion: String

        public init(
            protocolVersion: ProtocolVersion, agentVersion: String, hostname: String, kernelRelease: String,
            bashVersion: String, iproute2Version: String, iptablesVersion: String
        ) {
            self.protocolVersion = protocolVersion
            self.agentVersion = agentVersion
            self.hostname = hostname
            self.kernelRelease = kernelRelease
            self.bashVersion = bashVersion
            self.iproute2Version = iproute2Version
            self.iptablesVersion = iptablesVersion
        }
    }

    /// The outcome of each pinged address, in request order.
    public struct PingResult: Sendable, Hashable, Codable {
        /// One address's outcome, from `ping -q`'s exit status and summary.
        public struct Target: Sendable, Hashable, Codable {
            public var address: String
            /// `ping`'s exit status: 0 when a reply came back, 1 when none did, 2 on other errors
            /// (e.g. network unreachable).
            public var exitStatus: Int32
            /// Echo requests sent, when the summary could be parsed.
            public var transmitted: Int?
            /// Replies received, when the summary could be parsed.
            public var received: Int?
            /// The average round trip, when at least one reply came back.
            public var averageRoundTrip: Duration?

            /// Whether the address answered (`ping` exited 0).
            public var isReachable: Bool { exitStatus == 0 }

            public init(
                address: String, exitStatus: Int32, transmitted: Int? = nil, received: Int? = nil,
                averageRoundTrip: Duration? = nil
            ) {
                self.address = address
                self.exitStatus = exitStatus
                self.transmitted = transmitted
                self.received = received
                self.averageRoundTrip = averageRoundTrip
            }
        }

        public var targets: [Target]

        public init(targets: [Target]) { self.targets = targets }

        /// Whether every address answered.
        public var allReachable: Bool { targets.allSatisfy(\.isReachable) }
    }
}
