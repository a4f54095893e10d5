import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Every raw descriptor call testbed makes outside libssh2's own goes through here (and its extensions in
/// `SystemCall+*.swift`), so each return code is turned into a `SystemError` in one place, `EINTR` is retried in
/// one place, and no descriptor is ever created without close-on-exec (a holder or agent that inherited a
/// journal, lock or pipe descriptor would keep it open for its whole life).
public enum SystemCall {
    /// Opens `path`, close-on-exec. `EINTR` is retried.
    /// - Parameters:
    ///   - flags: `O_RDONLY`, `O_WRONLY | O_CREAT | O_APPEND`, …; `O_CLOEXEC` is always added.
    ///   - mode: The permissions of a file `O_CREAT` makes.
    /// - Returns: The descriptor; the caller owns it and closes it with ``close(_:)``.
    /// - Throws: `SystemError` (`open`, with the path as detail).
    public static func open(_ path: String, _ flags: Int32, _ mode: UInt32 = 0) throws(SystemError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode_t(mode))
            if fd >= 0 { return fd }
            if errno != EINTR { throw .last("open", path) }
        }
    }

    /// Closes `fd`; negative descriptors are ignored. Never retried: on Linux the descriptor is gone even when
    /// close reports `EINTR`, and a retry could close a descriptor another thread just opened.
    public static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Reads at most `buffer.count` bytes into the start of `buffer`. `EINTR` is retried.
    /// - Returns: The count read (0 at end of file), or nil when a non-blocking descriptor has nothing now.
    /// - Throws: `SystemError` (`read`).
    static func read(_ fd: Int32, into buffer: inout [UInt8]) throws(SystemError) -> Int? {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            if errno != EINTR { throw .last("read") }
        }
    }

    /// Writes as much of `bytes[offset...]` as the descriptor takes now. `EINTR` is retried.
    ///
    /// A reader that is gone is the error `EPIPE`, never the process-wide `SIGPIPE` that would kill testbed:
    /// the signal is blocked on the calling thread for the call, and one it raised is consumed.
    /// - Returns: The count written, or nil when a non-blocking descriptor takes nothing now.
    /// - Throws: `SystemError` (`write`; `EPIPE` when the reader is gone).
    static func write(_ fd: Int32, _ bytes: [UInt8], from offset: Int = 0) throws(SystemError) -> Int? {
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        while true {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written >= 0 { return written }
            let error = errno
            if error == EPIPE && sigismember(&previous, SIGPIPE) == 0 {
                var noWait = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeOnly, nil, &noWait)
            }
            if error == EAGAIN || error == EWOULDBLOCK { return nil }
            if error != EINTR { throw SystemError(call: "write", errno: error) }
        }
    }

    /// A close-on-exec pipe: (read end, write end).
    static func pipe() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard testbed_pipe_cloexec(&fds) == 0 else { throw .last("pipe2") }
        return (fds[0], fds[1])
    }

    static func setNonBlocking(_ fd: Int32) throws(SystemError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { throw .last("fcntl") }
    }

    static func setCloseOnExec(_ fd: Int32) throws(SystemError) {
        guard fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else { throw .last("fcntl") }
    }

    /// Waits until the data written to `fd` is on disk.
    static func fsync(_ fd: Int32) throws(SystemError) {
        while Glibc.fsync(fd) != 0 {
            if errno != EINTR { throw .last("fsync") }
        }
    }
}
