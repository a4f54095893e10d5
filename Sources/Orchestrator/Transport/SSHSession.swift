internal import CLibSSH2
public import Logging

/// One SSH connection to one node: authenticated, host key verified, ready for channels.
///
/// Not `Sendable`: a session is confined to the thread of the node connection that owns it (an actor running
/// on a ``ThreadExecutor``). Every call blocks that thread until it is done, its deadline passes or the current
/// task is cancelled; waits `poll` the socket in slices of at most 200 ms.
///
/// After a `timedOut` or `cancelled` error the session may be unusable (libssh2 cannot resume a half-sent
/// packet); later calls then fail with `connectionLost`. Reconnect in that case.
public final class SSHSession {
    public let nodeName: String
    public let endpoint: SSHEndpoint
    /// The server's host key fingerprint as OpenSSH prints it (`SHA256:…`).
    public let hostKeyFingerprint: String
    private let logger: Logger
    private var session: LibSSH2Session?
    private var proxy: ProxyCommandProcess?
    /// The ProxyJump relays under the session, first hop first.
    private var jumpRelays: [JumpRelay]
    /// When `sendKeepalive()` is used without a configured interval, the interval set on first use.
    private var isKeepaliveConfigured: Bool

    /// Connects, checks the host key and authenticates. Blocks the calling thread.
    /// - Parameters:
    ///   - endpoint: How to reach the node.
    ///   - nodeName: The node's name, for messages and logs.
    ///   - logger: Gets `debug` lines for the connection's life and `trace` lines for libssh2 calls, with the
    ///     metadata `node` and `node.host`. Secrets are never logged.
    /// - Returns: The connected session.
    /// - Throws: `ConnectionError`.
    public static func connect(to endpoint: SSHEndpoint, nodeName: String, logger: Logger) throws(ConnectionError)
        -> SSHSession
    {
        try connect(to: endpoint, nodeName: nodeName, logger: logger, environment: .current)
    }

    /// ``connect(to:nodeName:logger:)`` with the agent socket, passphrase lookup and prompt supplied.
    static func connect(
        to endpoint: SSHEndpoint, nodeName: String, logger: Logger, environment: SSHClientEnvironment
    ) throws(ConnectionError) -> SSHSession {
        // libssh2 writes to its socket with plain send(2) and a jump hop's bridge is a socketpair: a peer that went
        // away must be EPIPE, reported as a lost connection, not SIGPIPE killing whatever process holds the session
        // (the test process died of it in a ProxyJump test). Process-wide, as every command of the CLI sets anyway.
        SignalSetup.ignoreSIGPIPE()
        var logger = logger
        logger[metadataKey: "node"] = "\(nodeName)"
        logger[metadataKey: "node.host"] = "\(endpoint.address)"
        var attempt = SSHConnectionAttempt(
            endpoint: endpoint, nodeName: nodeName, logger: logger, environment: environment,
            deadline: .now + endpoint.connectTimeout)
        let connected = try attempt.run()
        logger.debug("SSH session ready", metadata: ["host_key": "\(connected.hostKey.fingerprint)"])
        return SSHSession(
            nodeName: nodeName, endpoint: endpoint, logger: logger, connected: connected)
    }

    private init(nodeName: String, endpoint: SSHEndpoint, logger: Logger, connected: SSHConnectionAttempt.Connected) {
        self.nodeName = nodeName
        self.endpoint = endpoint
        self.logger = logger
        self.session = connected.session
        self.proxy = connected.proxy
        self.jumpRelays = connected.jumpRelays
        self.hostKeyFingerprint = connected.hostKey.fingerprint
        self.isKeepaliveConfigured = endpoint.keepaliveInterval != nil
    }

    deinit {
        disconnect()
    }

    /// The PID of the command transport's program while it runs (for diagnostics and tests).
    var proxyProcessID: Int32? { proxy?.child.pid }

    /// Whether ``disconnect()`` has not run and the connection has not broken.
    public var isConnected: Bool { session?.isOpen ?? false }

    /// Opens an exec channel running `command` and keeps it open as a duplex byte stream (the node agent's
    /// standard input and output). Its standard error is kept apart and shown when the stream fails.
    /// - Parameters:
    ///   - command: The remote command line (run by the user's login shell).
    ///   - deadline: When opening must be done.
    /// - Returns: The stream; it keeps this connection's libssh2 session alive until it is released.
    /// - Throws: `ConnectionError` (`channelFailed`, `timedOut`, `cancelled`, `connectionLost`).
    public func openAgentChannel(command: String, until deadline: ContinuousClock.Instant) throws(ConnectionError)
        -> any AgentStream
    {
        let channel = try openChannel(command: command, until: deadline)
        logger.debug("agent channel open")
        return channel
    }

    /// Runs one command on its own exec channel: feeds `input`, reads standard output and standard error to
    /// the end, closes the channel and waits for the close. A non-zero exit is a result, not an error.
    ///
    /// A command still running at the deadline or on cancellation is abandoned, not killed: libssh2 1.10 cannot
    /// send the SSH `signal` request on a channel that already ran `exec`, and sshd does not kill a command
    /// without a terminal when its channel closes. Bound long commands on the node (e.g. `timeout 30 …`).
    /// - Parameters:
    ///   - command: The remote command line (run by the user's login shell).
    ///   - input: Bytes for the command's standard input, then end of file.
    ///   - deadline: When the command must be done.
    /// - Returns: The exit status (or the signal that ended it) and both outputs.
    /// - Throws: `ConnectionError` (`channelFailed`, `timedOut`, `cancelled`, `connectionLost`).
    public func execute(command: String, input: [UInt8] = [], until deadline: ContinuousClock.Instant)
        throws(ConnectionError) -> ProcessOutput
    {
        let channel = try openChannel(command: command, until: deadline)
        do {
            let output = try channel.runToCompletion(input: input, until: deadline)
            logger.debug("command finished", metadata: ["command.status": "\(output.status)"])
            return output
        } catch {
            throw runtimeError(error, action: "running a command")
        }
    }

    /// Sends an SSH keepalive if one is due (with no interval configured: at most one a second), so an idle
    /// connection stays up through NAT and firewalls and a dead peer is noticed.
    /// Wraps `libssh2_keepalive_send`.
    /// - Throws: `ConnectionError` (`connectionLost`) when the connection is gone.
    public func sendKeepalive() throws(ConnectionError) {
        let session = try openSession()
        if !isKeepaliveConfigured {
            session.configureKeepalive(intervalSeconds: 1)
            isKeepaliveConfigured = true
        }
        do {
            try session.sendKeepalive(until: .now + .seconds(5))
        } catch {
            throw runtimeError(error, action: "sending a keepalive")
        }
    }

    /// Ends the session: a graceful SSH disconnect (bounded to one second), the socket shut down, the proxy
    /// command reaped. Idempotent; never throws. Channels still held elsewhere fail from now on.
    public func disconnect() {
        guard let session else { return }
        session.disconnect(until: .now + .seconds(1))
        self.session = nil
        proxy?.terminate()
        proxy = nil
        for relay in jumpRelays.reversed() { relay.stop() }
        jumpRelays = []
        logger.debug("SSH session disconnected")
    }

    /// Opens a channel and starts `command` on it.
    private func openChannel(command: String, until deadline: ContinuousClock.Instant) throws(ConnectionError)
        -> LibSSH2Channel
    {
        let session = try openSession()
        do {
            let channel = try LibSSH2Channel(session: session, until: deadline)
            try channel.exec(command, until: deadline)
            return channel
        } catch {
            throw runtimeError(error, action: "opening a channel", isChannelSetup: true)
        }
    }

    private func openSession() throws(ConnectionError) -> LibSSH2Session {
        guard let session, session.isOpen else {
            throw error(
                .connectionLost, "the SSH session is no longer connected",
                hint: "connect again; the session was disconnected or broke earlier", cause: nil)
        }
        return session
    }

    /// Translates a libssh2 failure after connecting.
    private func runtimeError(_ failure: LibSSH2Error, action: String, isChannelSetup: Bool = false)
        -> ConnectionError
    {
        var cause = failure.description
        if failure.isConnectionLoss, let proxy, let summary = proxy.failureSummary() { cause += "; " + summary }
        if failure.isConnectionLoss, let lost = jumpRelays.compactMap(\.failure).first { cause += "; " + lost }
        if failure.isTimeout {
            return error(
                .timedOut, "the deadline passed while \(action)",
                hint: "raise the timeout, or look on the node for a command that hangs", cause: cause)
        }
        if failure.isCancellation {
            return error(
                .cancelled, "cancelled while \(action)", hint: SSHConnectionAttempt.cancelledHint, cause: cause)
        }
        if failure.isConnectionLoss || !(session?.isOpen ?? false) {
            return error(
                .connectionLost, "the SSH connection was lost while \(action)",
                hint: "check that the node and its sshd are still running and reachable, then connect again",
                cause: cause)
        }
        if isChannelSetup {
            return error(
                .channelFailed, "the server refused a channel while \(action)",
                hint: "check the node's sshd limits (MaxSessions) and that the user's login shell can run commands",
                cause: cause)
        }
        return error(.connectionLost, "SSH failed while \(action)", hint: SSHConnectionAttempt.reportHint, cause: cause)
    }

    private func error(_ code: ConnectionError.Code, _ message: String, hint: String, cause: String?)
        -> ConnectionError
    {
        ConnectionError(
            code: code, node: nodeName, address: endpoint.address, message: message, hint: hint, cause: cause)
    }
}
