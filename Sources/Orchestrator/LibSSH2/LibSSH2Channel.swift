internal import CLibSSH2

/// Owns one `LIBSSH2_CHANNEL*` of a session and keeps that session alive.
///
/// Not `Sendable`, like its session. Standard output (stream 0) and standard error
/// (`SSH_EXTENDED_DATA_STDERR`) are read apart.
final class LibSSH2Channel {
    /// The result of one non-blocking read.
    enum ReadResult: Equatable {
        /// This many bytes were appended to the buffer.
        case data(Int)
        /// Nothing available yet.
        case wouldBlock
        /// The stream has ended.
        case endOfFile
    }

    /// How much of the agent channel's standard error to keep for diagnostics.
    static let standardErrorTailLimit = 16384

    /// The receive window: libssh2's default, `LIBSSH2_CHANNEL_WINDOW_DEFAULT` (a macro Swift does not import).
    static let windowSize: UInt32 = 2 * 1024 * 1024

    let session: LibSSH2Session
    /// The handle; nil once freed.
    private(set) var raw: OpaquePointer?
    /// Whether `libssh2_channel_send_eof` has completed.
    private(set) var hasSentEOF = false
    /// Whether `libssh2_channel_close` has completed.
    private(set) var hasClosed = false
    /// The last bytes the remote program wrote to standard error, when a reader asked to drain it.
    private(set) var standardErrorTail: [UInt8] = []

    /// Opens a `session` channel.
    ///
    /// Wraps `libssh2_channel_open_ex`.
    /// - Throws: `LibSSH2Error`.
    init(session: LibSSH2Session, until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        self.session = session
        session.retryPendingChannelFrees()
        let type = "session"
        raw = try session.callPointer("libssh2_channel_open_ex", until: deadline) {
            libssh2_channel_open_ex(
                session.raw, type, UInt32(type.utf8.count), Self.windowSize,
                UInt32(LIBSSH2_CHANNEL_PACKET_DEFAULT), nil, 0)
        }
    }

    /// Takes a handle opened elsewhere (a `direct-tcpip` channel, see `LibSSH2Channel+DirectTCPIP.swift`).
    init(session: LibSSH2Session, opened raw: OpaquePointer) {
        self.session = session
        self.raw = raw
    }

    deinit {
        guard let raw, session.isOpen else { return }  // a closed session frees its channels itself
        session.freeChannel(raw)
    }

    /// The handle, or an error once the channel has been freed.
    private func handle(_ function: StaticString) throws(LibSSH2Error) -> OpaquePointer {
        guard let raw else {
            throw LibSSH2Error(
                function: "\(function)", code: LIBSSH2_ERROR_CHANNEL_CLOSED, message: "the channel was closed")
        }
        return raw
    }

    /// Starts `command` on the remote side (an `exec` request).
    ///
    /// Wraps `libssh2_channel_process_startup`.
    /// - Throws: `LibSSH2Error`, e.g. `LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED`.
    func exec(_ command: String, until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        let channel = try handle("libssh2_channel_process_startup")
        let request = "exec"
        let bytes = Array(command.utf8)
        _ = try session.call("libssh2_channel_process_startup", until: deadline) {
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    libssh2_channel_process_startup(
                        channel, request, UInt32(request.utf8.count), chars.baseAddress, UInt32(chars.count))
                }
            }
        }
    }

    /// Reads what is available on one stream without waiting.
    ///
    /// Wraps `libssh2_channel_read_ex`.
    /// - Parameters:
    ///   - stream: 0 for standard output, `SSH_EXTENDED_DATA_STDERR` for standard error.
    ///   - buffer: Receives the bytes (appended).
    ///   - maximum: The most to read.
    /// - Throws: `LibSSH2Error`.
    func readAvailable(stream: Int32, into buffer: inout [UInt8], maximum: Int = 65536) throws(LibSSH2Error)
        -> ReadResult
    {
        let channel = try handle("libssh2_channel_read_ex")
        // Uninitialized: a zeroed array of `maximum` per call was 128 KiB of memset per agent read (standard error
        // is drained first), and a buffer kept per channel would hold 64 KiB per session of a 1,000-node fleet.
        var outcome: Result<Int?, LibSSH2Error> = .success(nil)
        let chunk = [UInt8](unsafeUninitializedCapacity: maximum) { raw, count in
            outcome = Result { () throws(LibSSH2Error) in
                try session.attempt("libssh2_channel_read_ex") {
                    raw.withMemoryRebound(to: CChar.self) {
                        libssh2_channel_read_ex(channel, stream, $0.baseAddress, maximum)
                    }
                }
            }
            count = (try? outcome.get()).flatMap { $0 } ?? 0
        }
        guard let got = try outcome.get() else { return .wouldBlock }
        if got == 0 {
            // libssh2 returns 0 for "no data and EOF" but also transiently for a zero-length packet.
            return libssh2_channel_eof(channel) != 0 ? .endOfFile : .wouldBlock
        }
        buffer.append(contentsOf: chunk)
        return .data(got)
    }

    /// Moves whatever standard error is available into ``standardErrorTail``, keeping its last bytes only.
    /// - Throws: `LibSSH2Error`.
    func drainStandardError() throws(LibSSH2Error) {
        while case .data = try readAvailable(stream: SSH_EXTENDED_DATA_STDERR, into: &standardErrorTail) {
            if standardErrorTail.count > Self.standardErrorTailLimit {
                standardErrorTail.removeFirst(standardErrorTail.count - Self.standardErrorTailLimit)
            }
        }
    }

    /// Writes some of `bytes[offset...]` to standard input without waiting.
    ///
    /// Wraps `libssh2_channel_write_ex`.
    /// - Returns: The number of bytes taken, or nil when the window or socket is full.
    /// - Throws: `LibSSH2Error`.
    func writeSome(_ bytes: [UInt8], from offset: Int) throws(LibSSH2Error) -> Int? {
        let channel = try handle("libssh2_channel_write_ex")
        return try session.attempt("libssh2_channel_write_ex") {
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    libssh2_channel_write_ex(channel, 0, chars.baseAddress.map { $0 + offset }, chars.count - offset)
                }
            }
        }
    }

    /// Writes all of `bytes` to standard input.
    /// - Throws: `LibSSH2Error`.
    func writeAll(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        var offset = 0
        while offset < bytes.count {
            if let taken = try writeSome(bytes, from: offset) {
                offset += taken
            } else {
                try session.waitSocket(for: "libssh2_channel_write_ex", until: deadline)
            }
        }
    }

    /// Tells the remote program that its standard input has ended. Idempotent.
    ///
    /// Wraps `libssh2_channel_send_eof`.
    /// - Throws: `LibSSH2Error`.
    func sendEOF(until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        while try !attemptSendEOF() {
            try session.waitSocket(for: "libssh2_channel_send_eof", until: deadline)
        }
    }

    /// One non-blocking try at sending EOF.
    ///
    /// Wraps `libssh2_channel_send_eof`.
    /// - Returns: True once EOF has been sent.
    /// - Throws: `LibSSH2Error`.
    func attemptSendEOF() throws(LibSSH2Error) -> Bool {
        if hasSentEOF { return true }
        let channel = try handle("libssh2_channel_send_eof")
        guard try session.attempt("libssh2_channel_send_eof", { libssh2_channel_send_eof(channel) }) != nil else {
            return false
        }
        hasSentEOF = true
        return true
    }

    /// Closes the channel and waits for the server to confirm. Idempotent.
    ///
    /// Wraps `libssh2_channel_close` and `libssh2_channel_wait_closed`.
    /// - Throws: `LibSSH2Error`.
    func close(until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        guard !hasClosed else { return }
        let channel = try handle("libssh2_channel_close")
        _ = try session.call("libssh2_channel_close", until: deadline) { libssh2_channel_close(channel) }
        _ = try session.call("libssh2_channel_wait_closed", until: deadline) { libssh2_channel_wait_closed(channel) }
        hasClosed = true
    }

    /// How the remote command ended, once the channel is closed: the signal if one was reported, else the status.
    ///
    /// Wraps `libssh2_channel_get_exit_signal` and `libssh2_channel_get_exit_status`.
    func exitStatus() -> ExitStatus {
        guard let raw else { return .exited(255) }
        var name: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        _ = libssh2_channel_get_exit_signal(raw, &name, &length, nil, nil, nil, nil)
        if let name {
            defer { libssh2_free(session.raw, name) }
            let signalName = String(cString: name)
            return .signaled(SignalNames.number(of: signalName))
        }
        return .exited(libssh2_channel_get_exit_status(raw))
    }
}
