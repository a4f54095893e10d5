#if canImport(Glibc)
    import Glibc
#endif

/// `write(2)` to a pipe whose reader may be gone, without the process-wide `SIGPIPE` that would kill the
/// orchestrator: the signal is blocked on the calling thread for the call, and a pending one is consumed.
enum PipeWrite {
    /// Writes as much of `bytes[offset...]` as the descriptor takes.
    /// - Returns: The count written (> 0), or the `errno` of a failed call (`EAGAIN`, `EPIPE`, …).
    static func writeSome(_ fd: Int32, _ bytes: [UInt8], from offset: Int) -> Result<Int, SystemError> {
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
        let written = bytes.withUnsafeBytes { raw in
            write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        }
        let error = errno
        if written < 0 && error == EPIPE && sigismember(&previous, SIGPIPE) == 0 {
            var noWait = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeOnly, nil, &noWait)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        return written >= 0 ? .success(written) : .failure(SystemError(call: "write", errno: error))
    }
}
