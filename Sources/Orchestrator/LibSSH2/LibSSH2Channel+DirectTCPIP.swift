internal import CLibSSH2

extension LibSSH2Channel {
    /// Opens a `direct-tcpip` channel: the server connects to `host:port` and the channel carries that TCP
    /// stream (what `ssh -W host:port` and `ProxyJump` use). Standard output of the channel is the stream.
    ///
    /// Wraps `libssh2_channel_direct_tcpip_ex`.
    /// - Parameters:
    ///   - host: The address as the server resolves it.
    ///   - port: The port there.
    /// - Throws: `LibSSH2Error`, e.g. `LIBSSH2_ERROR_CHANNEL_FAILURE` when the server refuses (forwarding
    ///   disabled, connection refused on its side).
    static func directTCPIP(
        session: LibSSH2Session, host: String, port: Int, until deadline: ContinuousClock.Instant
    ) throws(LibSSH2Error) -> LibSSH2Channel {
        session.retryPendingChannelFrees()
        // The originator address is informational for the server's logs; OpenSSH sends the client's
        // loopback when it has no better one.
        let raw = try session.callPointer("libssh2_channel_direct_tcpip_ex", until: deadline) {
            libssh2_channel_direct_tcpip_ex(session.raw, host, Int32(port), "127.0.0.1", 22)
        }
        return LibSSH2Channel(session: session, opened: raw)
    }
}
