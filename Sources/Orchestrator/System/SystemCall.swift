import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Every raw descriptor call testbed makes outside libssh2 goes through here, so each one's
/// return code is translated in one place.
enum SystemCall {
    /// A close-on-exec pipe: (read end, write end).
    static func pipe() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard testbed_pipe_cloexec(&fds) == 0 else { throw .last("pipe2") }
        return (fds[0], fds[1])
    }

    /// A close-on-exec stream socket pair.
    static func socketPair() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw .last("socketpair")
        }
        return (fds[0], fds[1])
    }

    static func setNonBlocking(_ fd: Int32) throws(SystemError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { throw .last("fcntl") }
    }

    /// Waits until `fd` is ready for `events` or the deadline passes. Returns false on timeout.
    /// Waits in slices of at most 200 ms so a cancelled task notices within that time.
    static func wait(
        _ fd: Int32, events: Int16, until deadline: ContinuousClock.Instant
    ) throws(SystemError) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return false }
            if Task.isCancelled { throw SystemError(call: "poll", errno: ECANCELED, detail: "cancelled") }
            let slice = min(remaining, .milliseconds(200))
            let milliseconds = Int32(
                max(1, slice.components.seconds * 1000 + slice.components.attoseconds / 1_000_000_000_000_000))
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&descriptor, 1, milliseconds)
            if rc > 0 { return true }
            if rc < 0 && errno != EINTR { throw .last("poll") }
        }
    }

    /// Writes all bytes to a (possibly non-blocking) descriptor before the deadline.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && (errno == EAGAIN || errno == EINTR) {
                guard try wait(fd, events: Int16(POLLOUT), until: deadline) else {
                    throw SystemError(call: "write", errno: ETIMEDOUT)
                }
            } else {
                throw .last("write")
            }
        }
    }
}
