public import PlanModel

/// Why connecting to a node, or talking to it over SSH, failed: what happened, where, and what to do about it.
///
/// Printed, it reads:
/// ```
/// error: node 'alfa' (127.0.0.1:2222): the server refused every key for user 'root'
/// cause: tried: agent: SSH_AUTH_SOCK is not set; /root/.ssh/id_ed25519: refused by the server
/// hint: add one of the keys to ~root/.ssh/authorized_keys on the node, or name the right key in identity_files
/// ```
public struct ConnectionError: DiagnosticConvertible, Sendable, Hashable {
    /// The kind of failure. A struct with static members rather than an enum, so kinds can be added later.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case connectFailed, proxyCommandFailed, handshakeFailed, hostKeyUnknown, hostKeyMismatch
            case hostKeyRevoked, authenticationFailed, channelFailed, timedOut, connectionLost, cancelled
            case sudoNeedsPassword, notInSudoers, sudoFailed
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// The TCP connection could not be made (name resolution, refused, unreachable).
        public static let connectFailed = Code(.connectFailed)
        /// The command transport's program could not be started, or exited before SSH was up.
        public static let proxyCommandFailed = Code(.proxyCommandFailed)
        /// The SSH banner exchange or key exchange failed.
        public static let handshakeFailed = Code(.handshakeFailed)
        /// The host is not in the known_hosts files and the policy is strict.
        public static let hostKeyUnknown = Code(.hostKeyUnknown)
        /// The known_hosts files hold a different key for the host.
        public static let hostKeyMismatch = Code(.hostKeyMismatch)
        /// The server's key is marked `@revoked`.
        public static let hostKeyRevoked = Code(.hostKeyRevoked)
        /// No authentication method succeeded.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// A channel could not be opened, or the command could not be started on it.
        public static let channelFailed = Code(.channelFailed)
        /// A deadline passed.
        public static let timedOut = Code(.timedOut)
        /// The connection broke after it was up.
        public static let connectionLost = Code(.connectionLost)
        /// The task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// `become: sudo`: sudo asks for a password and none was given.
        public static let sudoNeedsPassword = Code(.sudoNeedsPassword)
        /// `become: sudo`: the user may not run sudo on the node.
        public static let notInSudoers = Code(.notInSudoers)
        /// `become: sudo`: sudo refused otherwise (a wrong password, sudo missing).
        public static let sudoFailed = Code(.sudoFailed)

        public var description: String { value.rawValue }
    }

    public var code: Code
    /// The node's name in the topology.
    public var node: String
    /// `host:port`, or `proxy command …`.
    public var address: String
    /// What went wrong, in one line.
    public var message: String
    /// What to do about it. Always present.
    public var hint: String
    /// The underlying failure, for example a libssh2 error or the tail of the proxy command's standard error.
    public var cause: String?

    public init(code: Code, node: String, address: String, message: String, hint: String, cause: String? = nil) {
        self.code = code
        self.node = node
        self.address = address
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    public var diagnostics: [Diagnostic] {
        [
            Diagnostic(
                code: "connection.\(code)", category: .connection, message: message,
                subject: "node '\(node)' (\(address))", cause: cause, hint: hint)
        ]
    }
}
