internal import CLibSSH2
internal import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Owns one `LIBSSH2_SESSION*` and the connected socket under it, in non-blocking mode.
///
/// Not `Sendable`: a session is confined to the thread of the node connection that owns it. Channels keep
/// their session alive, so the handle is freed only when the last of them is gone. Every libssh2 call goes
/// through ``call(_:until:_:)`` (see `LibSSH2+Wait.swift`), which waits on the socket with `poll` and honours
/// deadlines and task cancellation.
final class LibSSH2Session {
    /// Where the session is in its life.
    enum State {
        /// Usable.
        case open
        /// `disconnect()` ran; the socket is shut down. The handle is freed in deinit.
        case disconnected
        /// The transport failed, or a write was abandoned halfway (after a timeout or cancellation), which
        /// leaves libssh2's outbound packet state unusable. Only freeing remains.
        case broken(String)
    }

    /// The libssh2 handle. Only `deinit` frees it.
    let raw: OpaquePointer
    /// The connected socket; libssh2 never closes it, so `deinit` does.
    let socket: Int32
    let logger: Logger
    var state: State = .open
    /// Channels whose `libssh2_channel_free` is still waiting for the server (see ``freeChannel(_:)``).
    private var channelsAwaitingFree: [OpaquePointer] = []

    /// Creates a session on a connected socket, switched to non-blocking mode.
    /// - Parameters:
    ///   - socket: A connected stream socket. The session owns it from now on and closes it, even when this throws.
    ///   - logger: Receives `trace` lines for libssh2 calls.
    /// - Throws: `LibSSH2Error` when libssh2 cannot be initialised or the session cannot be allocated.
    init(socket: Int32, logger: Logger) throws(LibSSH2Error) {
        if let rc = LibSSH2Library.ensureInitialised() {
            SystemCall.close(socket)
            throw LibSSH2Error(function: "libssh2_init", code: rc, message: "libssh2 could not be initialised")
        }
        guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
            SystemCall.close(socket)
            throw LibSSH2Error(
                function: "libssh2_session_init_ex", code: LIBSSH2_ERROR_ALLOC, message: "out of memory")
        }
        raw = session
        self.socket = socket
        self.logger = logger
        libssh2_session_set_blocking(raw, 0)
    }

    deinit {
        // The backstop. In blocking mode with a short timeout, because `libssh2_session_free` can return EAGAIN
        // in non-blocking mode and would then leak the handle.
        libssh2_session_set_blocking(raw, 1)
        libssh2_session_set_timeout(raw, 1000)
        _ = libssh2_session_free(raw)
        SystemCall.close(socket)
    }

    /// Whether calls may still be made.
    var isOpen: Bool {
        if case .open = state { return true }
        return false
    }

    /// Performs the SSH handshake: banner, key exchange, host key.
    ///
    /// Wraps `libssh2_session_handshake`.
    /// - Throws: `LibSSH2Error`.
    func handshake(until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        _ = try call("libssh2_session_handshake", until: deadline) { libssh2_session_handshake(raw, socket) }
    }

    /// The server's host key blob (SSH wire format) after the handshake.
    ///
    /// Wraps `libssh2_session_hostkey`.
    func hostKeyBlob() -> [UInt8]? {
        var length = 0
        var type: Int32 = 0
        guard let pointer = libssh2_session_hostkey(raw, &length, &type), length > 0 else { return nil }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// The host-key algorithms libssh2 supports, in its default order of preference.
    ///
    /// Wraps `libssh2_session_supported_algs`.
    func supportedHostKeyAlgorithms() -> [String] {
        var list: UnsafeMutablePointer<UnsafePointer<CChar>?>? = nil
        let count = libssh2_session_supported_algs(raw, LIBSSH2_METHOD_HOSTKEY, &list)
        guard count > 0, let list else { return [] }
        defer { libssh2_free(raw, list) }
        return (0..<Int(count)).compactMap { list[$0].map { String(cString: $0) } }
    }

    /// Sets the host-key algorithms to offer, most preferred first.
    ///
    /// Wraps `libssh2_session_method_pref`.
    /// - Throws: `LibSSH2Error` when libssh2 supports none of them.
    func preferHostKeyAlgorithms(_ algorithms: [String]) throws(LibSSH2Error) {
        let rc = libssh2_session_method_pref(raw, LIBSSH2_METHOD_HOSTKEY, algorithms.joined(separator: ","))
        if rc < 0 { throw error("libssh2_session_method_pref", rc) }
    }

    /// Asks libssh2 to send keepalives (`keepalive@libssh2.org` global requests, reply wanted).
    ///
    /// Wraps `libssh2_keepalive_config`.
    /// - Parameter seconds: The interval; 0 disables them.
    func configureKeepalive(intervalSeconds seconds: UInt32) {
        libssh2_keepalive_config(raw, 1, seconds)
    }

    /// Sends a keepalive if one is due.
    ///
    /// Wraps `libssh2_keepalive_send`.
    /// - Returns: Seconds until the next one is due.
    /// - Throws: `LibSSH2Error` when the send fails (the connection is gone).
    @discardableResult
    func sendKeepalive(until deadline: ContinuousClock.Instant) throws(LibSSH2Error) -> Int {
        var next: Int32 = 0
        _ = try call("libssh2_keepalive_send", until: deadline) { libssh2_keepalive_send(raw, &next) }
        return Int(next)
    }

    /// Says goodbye to the server (best effort, bounded by `deadline`) and shuts the socket down, so the peer
    /// sees end of file now even if channels keep this object alive a while longer. Idempotent.
    /// Wraps `libssh2_session_disconnect_ex`.
    func disconnect(until deadline: ContinuousClock.Instant) {
        if isOpen {
            do {
                _ = try call("libssh2_session_disconnect_ex", until: deadline) {
                    libssh2_session_disconnect_ex(raw, SSH_DISCONNECT_BY_APPLICATION, "testbed disconnecting", "")
                }
            } catch {
                logger.debug("graceful SSH disconnect failed", metadata: ["error": "\(error)"])
            }
        }
        switch state {
        case .disconnected: return
        case .open, .broken: state = .disconnected
        }
        shutdown(socket, Int32(SHUT_RDWR))
    }

    /// Frees a channel without waiting. A channel not yet closed first sends CLOSE and then needs one packet from
    /// the server before libssh2 lets it go; a command still running (after a timeout) may send nothing for a
    /// long time. Such a channel is parked and retried, without waiting, before each new channel opens;
    /// `libssh2_session_free` frees whatever is left.
    /// Wraps `libssh2_channel_free`.
    func freeChannel(_ channel: OpaquePointer) {
        guard isOpen else { return }
        let rc = libssh2_channel_free(channel)
        if rc == LIBSSH2_ERROR_EAGAIN {
            channelsAwaitingFree.append(channel)
            if isBlockedOutbound {
                state = .broken("a channel close was left half-sent; the session must be reconnected")
            }
        } else {
            logger.trace("libssh2 call", metadata: ["libssh2.function": "libssh2_channel_free", "libssh2.rc": "\(rc)"])
        }
    }

    /// One non-blocking try at freeing each parked channel.
    func retryPendingChannelFrees() {
        guard isOpen, !channelsAwaitingFree.isEmpty else { return }
        channelsAwaitingFree.removeAll { libssh2_channel_free($0) != LIBSSH2_ERROR_EAGAIN }
    }

    /// The error for a failed call, with the text of `libssh2_session_last_error`.
    func error(_ function: StaticString, _ rc: Int32) -> LibSSH2Error {
        LibSSH2Error(function: "\(function)", code: rc, message: lastErrorMessage())
    }

    /// The text of `libssh2_session_last_error`, copied out of libssh2's buffer.
    func lastErrorMessage() -> String {
        var message: UnsafeMutablePointer<CChar>? = nil
        var length: Int32 = 0
        _ = libssh2_session_last_error(raw, &message, &length, 0)
        guard let message, length > 0 else { return "" }
        return message.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
        }
    }
}
