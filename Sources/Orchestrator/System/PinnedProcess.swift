#if canImport(Glibc)
    import Glibc
#endif

/// A process held by a pidfd, so a signal reaches that process and no other, even once its PID is reused.
///
/// The safe order is: pin the PID, confirm the identity of what the PID names now (start time, lab tag, namespace),
/// then signal through the pidfd. If the pinned process ended in between and its PID went to another process, the
/// signal fails with "no such process" instead of hitting the newcomer. See ``signal(_:pid:confirming:)``.
///
/// On kernels without `pidfd_open` (before Linux 5.3, `ENOSYS`) it falls back to the PID alone; then a PID reused
/// between the identity check and the signal would be hit. That is the only case where the fallback is used.
final class PinnedProcess {
    let pid: Int32
    /// The pidfd, or -1 on a kernel without pidfds.
    private let pidfd: Int32

    /// Whether the process is held by a pidfd (false only on kernels without them).
    var isPinned: Bool { pidfd >= 0 }

    private init(pid: Int32, pidfd: Int32) {
        self.pid = pid
        self.pidfd = pidfd
    }

    deinit { SystemCall.close(pidfd) }

    /// Pins the process that has `pid` now.
    /// - Returns: nil when no process has that PID.
    /// - Throws: `SystemError` when the pidfd cannot be opened for another reason than `ENOSYS` (e.g. `EMFILE`).
    static func pin(_ pid: Int32) throws(SystemError) -> PinnedProcess? {
        do {
            guard let pidfd = try SystemCall.pidfdOpen(pid) else { return nil }
            return PinnedProcess(pid: pid, pidfd: pidfd)
        } catch  where error.errno == ENOSYS {
            // Kernel without pidfds (before 5.3): fall back to signalling by PID, the only option there.
            guard ProcFS.isAlive(pid) else { return nil }
            return PinnedProcess(pid: pid, pidfd: -1)
        }
    }

    /// What ``signal(_:pid:confirming:)`` did.
    enum SignalOutcome {
        /// The confirmed process was signalled; the handle can wait for it to end.
        case signalled(PinnedProcess)
        /// Something else has the PID now; it was not touched.
        case notConfirmed
        /// No process had the PID, or the pinned one ended before the signal.
        case gone
    }

    /// Pins `pid`, asks `isExpected` whether the process with that PID is the one meant, and only then signals it
    /// through the pidfd.
    /// - Throws: `SystemError` when pinning or signalling fails for another reason than the process being gone.
    static func signal(
        _ signal: Int32, pid: Int32, confirming isExpected: (Int32) -> Bool
    ) throws(SystemError) -> SignalOutcome {
        guard let process = try pin(pid) else { return .gone }
        guard isExpected(pid) else { return .notConfirmed }
        return try process.signal(signal) ? .signalled(process) : .gone
    }

    /// Sends `signal`; returns false when the process has ended.
    func signal(_ signal: Int32) throws(SystemError) -> Bool {
        isPinned ? try SystemCall.pidfdSignal(pidfd, signal) : try SystemCall.signal(pid: pid, signal)
    }

    /// Whether the process has ended (a zombie counts as ended).
    func hasEnded() -> Bool {
        guard isPinned else { return !ProcFS.isAlive(pid) }
        var descriptors = [pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)]
        return (try? SystemCall.pollNow(&descriptors)) ?? false
    }

    /// Waits until every process has ended or the deadline passes; returns those still running.
    /// Pinned processes are waited for one after the other with `poll` on each pidfd (readable once the process
    /// ends): one wait per process however they end, where polling all of them after every end was quadratic in
    /// system calls for a 1,000-node lab. Without pidfds, /proc is looked at every 2 ms.
    static func waitForEnd(of processes: [PinnedProcess], until deadline: ContinuousClock.Instant) -> [PinnedProcess] {
        for process in processes where process.isPinned {
            var descriptor = [pollfd(fd: process.pidfd, events: Int16(POLLIN), revents: 0)]
            guard (try? SystemCall.wait(&descriptor, until: deadline, cancellable: false)) == .ready else { break }
        }
        var remaining = processes.filter { !$0.hasEnded() }
        while !remaining.isEmpty && ContinuousClock.now < deadline && !remaining.allSatisfy(\.isPinned) {
            usleep(2_000)
            remaining = remaining.filter { !$0.hasEnded() }
        }
        return remaining
    }
}
