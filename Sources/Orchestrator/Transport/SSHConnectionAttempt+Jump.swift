internal import Logging

/// `ProxyJump`, natively: each jump host gets a full SSH session of its own (host key checked strictly against
/// its own known_hosts, its own credentials and keepalives), and the next hop's session runs over a
/// `direct-tcpip` channel of it through a ``JumpRelay``. No process is started.
extension SSHConnectionAttempt {
    /// Connects the jump hosts in order and returns the socket the target's session runs on, and the relays
    /// (first hop first) that carry it.
    /// - Throws: `ConnectionError` naming the hop that failed.
    func openJumpTransport() throws(ConnectionError) -> (Int32, [JumpRelay]) {
        var relays: [JumpRelay] = []
        var socket: Int32? = nil
        do throws(ConnectionError) {
            for (index, hop) in endpoint.jumpHosts.enumerated() {
                let name = Self.hopName(index: index, of: endpoint.jumpHosts.count, hop: hop)
                let next = index + 1 < endpoint.jumpHosts.count ? endpoint.jumpHosts[index + 1] : endpoint
                guard case .tcp(let host, let port) = next.transport else {
                    throw failure(
                        .connectFailed, "\(name) cannot carry a proxy command transport to the next hop",
                        hint: "give every hop after a jump host a host and port, not a proxy command")
                }
                var hopLogger = logger
                hopLogger[metadataKey: "jump.hop"] = "\(index + 1)"
                var attempt = SSHConnectionAttempt(
                    endpoint: hop.withoutJumps, nodeName: nodeName, logger: hopLogger, environment: environment,
                    deadline: deadline, presetSocket: socket)
                socket = nil  // the hop's session owns it now, even if connecting fails
                let connected = try attempt.run(asHop: name)
                let channel: LibSSH2Channel
                do {
                    channel = try LibSSH2Channel.directTCPIP(
                        session: connected.session, host: host, port: port, until: deadline)
                } catch {
                    connected.session.disconnect(until: .now + .milliseconds(500))
                    throw forwardingFailure(error, hop: name, to: host, port: port)
                }
                do {
                    let (relay, nextSocket) = try JumpRelay.start(
                        session: connected.session, channel: channel, hopName: name,
                        sendsKeepalives: hop.keepaliveInterval != nil, logger: hopLogger)
                    relays.append(relay)
                    socket = nextSocket
                } catch {
                    throw failure(.connectFailed, error.message, hint: Self.reportHint, cause: error.cause)
                }
            }
        } catch {
            for relay in relays.reversed() { relay.stop() }
            throw error
        }
        guard let socket else {
            throw failure(.connectFailed, "no jump host was given", hint: Self.reportHint)
        }
        return (socket, relays)
    }

    /// `jump host 1 of 2 (127.0.0.1:2201)`.
    static func hopName(index: Int, of count: Int, hop: SSHEndpoint) -> String {
        "jump host \(index + 1) of \(count) (\(hop.address))"
    }

    /// Runs this attempt for a jump host, so every error says which hop it is about.
    mutating func run(asHop name: String) throws(ConnectionError) -> Connected {
        do {
            return try run()
        } catch {
            var named = error
            named.message = "\(name): \(error.message)"
            throw named
        }
    }

    private func forwardingFailure(_ error: LibSSH2Error, hop: String, to host: String, port: Int)
        -> ConnectionError
    {
        if error.isTimeout || error.isCancellation {
            return failure(
                error.isTimeout ? .timedOut : .cancelled,
                "\(hop) did not open the connection to \(host):\(port) in time",
                hint: error.isTimeout ? slowHint : Self.cancelledHint, cause: error)
        }
        return failure(
            .connectFailed, "\(hop) refused or failed to open a connection to \(host):\(port)",
            hint: "check that the jump host allows TCP forwarding (AllowTcpForwarding) and can reach \(host) "
                + "port \(port)",
            cause: error)
    }
}

extension SSHEndpoint {
    /// The endpoint alone, as one hop: its own jump hosts are the chain's business.
    var withoutJumps: SSHEndpoint {
        var copy = self
        copy.jumpHosts = []
        return copy
    }
}
