internal import Logging

/// One run of ``SSHSession/connect(to:nodeName:logger:)``: the transport, the handshake, the host-key check and
/// authentication, against one deadline. Every ``ConnectionError`` of connecting is made here and in its
/// extensions, so each says what failed, where, and what to do.
struct SSHConnectionAttempt {
    let endpoint: SSHEndpoint
    let nodeName: String
    let logger: Logger
    let environment: SSHClientEnvironment
    /// When connecting must be done. Moved on after a passphrase prompt, which waits for a person.
    var deadline: ContinuousClock.Instant
    /// A socket already connected to the server (the next hop of a ProxyJump chain); the attempt owns it.
    var presetSocket: Int32? = nil

    /// What a successful attempt hands to the session.
    struct Connected {
        var session: LibSSH2Session
        var proxy: ProxyCommandProcess?
        var hostKey: HostKey
        /// The ProxyJump relays under the session, first hop first.
        var jumpRelays: [JumpRelay] = []
    }

    /// Runs the attempt.
    /// - Throws: `ConnectionError` with the code of the step that failed.
    mutating func run() throws(ConnectionError) -> Connected {
        var jumpRelays: [JumpRelay] = []
        let (socket, proxy): (Int32, ProxyCommandProcess?)
        if let presetSocket {
            (socket, proxy) = (presetSocket, nil)
        } else if !endpoint.jumpHosts.isEmpty {
            (socket, jumpRelays) = try openJumpTransport()
            proxy = nil
        } else {
            (socket, proxy) = try openTransport()
        }
        let stopRelays = { for relay in jumpRelays.reversed() { relay.stop() } }
        let session: LibSSH2Session
        do {
            session = try LibSSH2Session(socket: socket, logger: logger)
        } catch {
            stopRelays()
            proxy?.terminate(grace: .milliseconds(100))
            throw failure(.handshakeFailed, "libssh2 could not create a session", hint: Self.reportHint, cause: error)
        }
        do {
            let hostName = endpoint.hostKeyLookupName(nodeName: nodeName)
            let knownHosts = try loadKnownHosts()
            preferKnownKeyTypes(session, knownHosts: knownHosts, hostName: hostName)
            try handshake(session, proxy: proxy)
            let hostKey = try verifyHostKey(session, knownHosts: knownHosts, hostName: hostName)
            if let interval = endpoint.keepaliveInterval {
                session.configureKeepalive(intervalSeconds: UInt32(clamping: max(1, interval.components.seconds)))
            }
            try authenticate(session, proxy: proxy)
            return Connected(session: session, proxy: proxy, hostKey: hostKey, jumpRelays: jumpRelays)
        } catch {
            session.disconnect(until: .now + .milliseconds(500))
            stopRelays()
            proxy?.terminate(grace: .milliseconds(100))
            throw error
        }
    }

    /// Opens the TCP connection or starts the proxy command.
    private func openTransport() throws(ConnectionError) -> (Int32, ProxyCommandProcess?) {
        switch endpoint.transport {
        case .tcp(let host, let port):
            logger.debug("connecting over TCP")
            do {
                let socket = try TCPConnector.connect(
                    host: host, port: port, until: deadline, networkNamespace: endpoint.networkNamespace)
                return (socket, nil)
            } catch {
                throw transportFailure(
                    error, code: .connectFailed,
                    hint: "check that the node is up and sshd listens on \(endpoint.address) "
                        + "(try `ssh -p \(port) \(endpoint.user)@\(host)`)")
            }
        case .command(let executable, let arguments):
            logger.debug("starting the proxy command", metadata: ["proxy.executable": "\(executable)"])
            do {
                let (process, socket) = try ProxyCommandProcess.start(executable: executable, arguments: arguments)
                return (socket, process)
            } catch {
                throw transportFailure(
                    error, code: .proxyCommandFailed,
                    hint: "check the proxy command: the program must exist and speak SSH on its standard input "
                        + "and output")
            }
        }
    }

    /// Banner, key exchange and host key.
    private func handshake(_ session: LibSSH2Session, proxy: ProxyCommandProcess?) throws(ConnectionError) {
        do {
            try session.handshake(until: deadline)
            logger.debug("SSH handshake done")
        } catch {
            if error.isTimeout || error.isCancellation {
                throw failure(
                    error.isTimeout ? .timedOut : .cancelled,
                    error.isTimeout ? "the SSH handshake did not finish in time" : "cancelled during the SSH handshake",
                    hint: error.isTimeout ? slowHint : Self.cancelledHint,
                    cause: proxyCause(proxy, error))
            }
            if let proxy, let summary = proxy.failureSummary() {
                throw ConnectionError(
                    code: .proxyCommandFailed, node: nodeName, address: endpoint.address,
                    message: "the proxy command ended before the SSH handshake finished",
                    hint: "run the proxy command by hand to see why it fails: \(proxy.commandLine)",
                    cause: summary + "; " + error.description)
            }
            throw failure(
                .handshakeFailed, "the SSH handshake failed",
                hint: proxy == nil
                    ? "check that \(endpoint.address) is an SSH server and that it accepts the algorithms of libssh2 "
                        + LibSSH2Library.version
                    : "check that the proxy command speaks SSH on its standard input and output",
                cause: proxyCause(proxy, error))
        }
    }

    /// The proxy command's standard error tail joined to a libssh2 error, or the error alone.
    func proxyCause(_ proxy: ProxyCommandProcess?, _ error: LibSSH2Error) -> String {
        guard let proxy else { return error.description }
        let tail = proxy.standardErrorTail()
        return tail.isEmpty ? error.description : "\(error); the proxy command's standard error: \(tail)"
    }

    /// A ``ConnectionError`` for this node with a libssh2 error as its cause.
    func failure(_ code: ConnectionError.Code, _ message: String, hint: String, cause: LibSSH2Error) -> ConnectionError
    {
        failure(code, message, hint: hint, cause: cause.description)
    }

    /// A ``ConnectionError`` for this node.
    func failure(_ code: ConnectionError.Code, _ message: String, hint: String, cause: String? = nil) -> ConnectionError
    {
        ConnectionError(
            code: code, node: nodeName, address: endpoint.address, message: message, hint: hint, cause: cause)
    }

    private func transportFailure(_ error: TransportFailure, code: ConnectionError.Code, hint: String)
        -> ConnectionError
    {
        switch error.kind {
        case .failed: failure(code, error.message, hint: hint, cause: error.cause)
        case .timedOut: failure(.timedOut, error.message, hint: slowHint, cause: error.cause)
        case .cancelled: failure(.cancelled, error.message, hint: Self.cancelledHint, cause: error.cause)
        }
    }

    /// The hint for a connection that ran out of time.
    var slowHint: String {
        "the node answered too slowly or not at all (connect timeout \(endpoint.connectTimeout)); check that it is "
            + "reachable, or raise connect_timeout"
    }

    static let cancelledHint = "the run was cancelled (Ctrl-C or a failure elsewhere); nothing to fix on this node"
    static let reportHint = "this looks like a problem in testbed or libssh2 itself; please report it with the cause"
}
