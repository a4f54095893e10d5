import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Calls on processes: pidfds, which refer to a process itself rather than to its reusable number, and plain
/// signals by PID for kernels without them.
extension SystemCall {
    /// Opens a pidfd (close-on-exec, as every pidfd is) for `pid`.
    /// - Returns: The descriptor, or nil when no process has that PID.
    /// - Throws: `SystemError` (`pidfd_open`); `ENOSYS` on kernels before Linux 5.3.
    static func pidfdOpen(_ pid: Int32) throws(SystemError) -> Int32? {
        let fd = testbed_pidfd_open(pid)
        if fd >= 0 { return fd }
        if errno == ESRCH { return nil }
        throw .last("pidfd_open")
    }

    /// Sends `signal` to the process `pidfd` refers to.
    /// - Returns: False when that process has ended (its PID may belong to another process by now; that one is
    ///   never signalled).
    /// - Throws: `SystemError` (`pidfd_send_signal`), e.g. `EPERM`.
    static func pidfdSignal(_ pidfd: Int32, _ signal: Int32) throws(SystemError) -> Bool {
        if testbed_pidfd_send_signal(pidfd, signal) == 0 { return true }
        if errno == ESRCH { return false }
        throw .last("pidfd_send_signal")
    }

    /// Sends `signal` to whatever process has `pid` now (`kill(2)`).
    /// - Returns: False when no process has that PID.
    /// - Throws: `SystemError` (`kill`), e.g. `EPERM`.
    static func signal(pid: Int32, _ signal: Int32) throws(SystemError) -> Bool {
        if kill(pid, signal) == 0 { return true }
        if errno == ESRCH { return false }
        throw .last("kill")
    }
}
