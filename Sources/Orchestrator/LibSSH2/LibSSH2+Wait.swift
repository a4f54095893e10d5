internal import CLibSSH2
internal import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The one path every libssh2 call takes: retry on `LIBSSH2_ERROR_EAGAIN`, waiting on the socket with
/// `SystemCall.wait`, and give up at the deadline or when the current task is cancelled.
extension LibSSH2Session {
    /// Calls `body` until it returns something other than `LIBSSH2_ERROR_EAGAIN`.
    /// - Parameters:
    ///   - function: The libssh2 function `body` calls, for errors and logs.
    ///   - deadline: When to stop waiting.
    ///   - body: One call of the function.
    /// - Returns: The non-negative result.
    /// - Throws: `LibSSH2Error` for a negative result, a timeout, a cancellation, or a session already closed.
    func call<R: BinaryInteger>(
        _ function: StaticString, until deadline: ContinuousClock.Instant, _ body: () -> R
    ) throws(LibSSH2Error) -> R {
        while true {
            if let result = try attempt(function, body) { return result }
            try waitSocket(for: function, until: deadline)
        }
    }

    /// Calls `body` once.
    /// - Returns: The non-negative result, or nil when libssh2 would block.
    /// - Throws: `LibSSH2Error` for a negative result or a session already closed.
    func attempt<R: BinaryInteger>(_ function: StaticString, _ body: () -> R) throws(LibSSH2Error) -> R? {
        try ensureUsable(function)
        let rc = body()
        if rc == LIBSSH2_ERROR_EAGAIN { return nil }
        logger.trace("libssh2 call", metadata: ["libssh2.function": "\(function)", "libssh2.rc": "\(rc)"])
        if rc < 0 { throw failure(function, Int32(truncatingIfNeeded: rc)) }
        return rc
    }

    /// Calls a pointer-returning function until it returns non-NULL or fails. A NULL is an EAGAIN only when
    /// `libssh2_session_last_errno` says so.
    /// - Throws: `LibSSH2Error` as for ``call(_:until:_:)``.
    func callPointer<P>(
        _ function: StaticString, until deadline: ContinuousClock.Instant, _ body: () -> P?
    ) throws(LibSSH2Error) -> P {
        while true {
            try ensureUsable(function)
            if let pointer = body() {
                logger.trace("libssh2 call", metadata: ["libssh2.function": "\(function)", "libssh2.rc": "0"])
                return pointer
            }
            let rc = libssh2_session_last_errno(raw)
            guard rc == LIBSSH2_ERROR_EAGAIN else {
                logger.trace("libssh2 call", metadata: ["libssh2.function": "\(function)", "libssh2.rc": "\(rc)"])
                throw failure(function, rc == 0 ? LIBSSH2_ERROR_SOCKET_NONE : rc)
            }
            try waitSocket(for: function, until: deadline)
        }
    }

    /// Waits until the socket is ready in the directions libssh2 is blocked on.
    ///
    /// Wraps `libssh2_session_block_directions` and `SystemCall.wait`.
    /// - Throws: `LibSSH2Error` with ``LibSSH2Error/timedOutCode`` or ``LibSSH2Error/cancelledCode``.
    func waitSocket(for function: StaticString, until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        let directions = libssh2_session_block_directions(raw)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        let outcome: SystemCall.WaitOutcome
        do {
            outcome = try SystemCall.wait(socket, events: events, until: deadline)
        } catch {
            throw LibSSH2Error(
                function: "poll", code: LIBSSH2_ERROR_SOCKET_NONE, message: String(cString: strerror(error.errno)))
        }
        switch outcome {
        case .ready:
            return
        case .cancelled:
            abandon(function, directions: directions)
            throw LibSSH2Error(
                function: "\(function)", code: LibSSH2Error.cancelledCode, message: "the task was cancelled")
        case .timedOut:
            abandon(function, directions: directions)
            throw LibSSH2Error(
                function: "\(function)", code: LibSSH2Error.timedOutCode,
                message: "the deadline passed while waiting for the socket")
        }
    }

    /// Whether libssh2 holds a half-sent packet: the call that returned EAGAIN must then be repeated before any
    /// other call that sends.
    /// Wraps `libssh2_session_block_directions`.
    var isBlockedOutbound: Bool {
        libssh2_session_block_directions(raw) & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0
    }

    /// Throws unless the session can take calls.
    func ensureUsable(_ function: StaticString) throws(LibSSH2Error) {
        switch state {
        case .open:
            return
        case .disconnected:
            throw LibSSH2Error(
                function: "\(function)", code: LibSSH2Error.sessionClosedCode, message: "the session was disconnected")
        case .broken(let reason):
            throw LibSSH2Error(function: "\(function)", code: LibSSH2Error.sessionClosedCode, message: reason)
        }
    }

    /// The error for a failed call; a lost transport also marks the session broken.
    func failure(_ function: StaticString, _ rc: Int32) -> LibSSH2Error {
        let failure = error(function, rc)
        if failure.isConnectionLoss, isOpen {
            state = .broken("the connection was lost: \(failure)")
            logger.debug("SSH connection lost", metadata: ["libssh2.function": "\(function)"])
        }
        return failure
    }

    /// Records that a call was given up while libssh2 still had outbound data: libssh2 requires the same call to
    /// be repeated until it completes, so the session cannot be used for anything else afterwards.
    private func abandon(_ function: StaticString, directions: Int32) {
        guard directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0, isOpen else { return }
        state = .broken("\(function) was abandoned halfway through a write; the session must be reconnected")
        logger.debug("SSH session left unusable by an abandoned write", metadata: ["libssh2.function": "\(function)"])
    }
}
