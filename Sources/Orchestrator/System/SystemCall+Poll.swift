#if canImport(Glibc)
    import Glibc
#endif

/// The one way testbed waits for descriptors: pipes to holders and agents, sockets under SSH sessions, pidfds.
extension SystemCall {
    /// How a wait ended.
    enum WaitOutcome: Sendable, Hashable {
        /// At least one descriptor has an event; its `revents` say which.
        case ready
        case timedOut
        /// The current task was cancelled (only when the wait was `cancellable`).
        case cancelled
    }

    /// The longest single `poll`, so a cancelled task is noticed within this time.
    static let pollSlice: Duration = .milliseconds(200)

    /// Waits until one of `descriptors` reports an event, the deadline passes or, when `cancellable`, the current
    /// task is cancelled. Polls in slices of at most ``pollSlice``; `EINTR` is retried. Negative descriptors are
    /// ignored, as by `poll(2)`.
    /// - Throws: `SystemError` (`poll`) when poll itself fails.
    static func wait(
        _ descriptors: inout [pollfd], until deadline: ContinuousClock.Instant, cancellable: Bool = true
    ) throws(SystemError) -> WaitOutcome {
        while true {
            if cancellable && Task.isCancelled { return .cancelled }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return .timedOut }
            for index in descriptors.indices { descriptors[index].revents = 0 }
            let rc = Glibc.poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds(min(remaining, pollSlice)))
            if rc > 0 { return .ready }
            if rc < 0 && errno != EINTR { throw .last("poll") }
        }
    }

    /// Waits until `fd` is ready for `events`; see ``wait(_:until:cancellable:)``.
    static func wait(
        _ fd: Int32, events: Int16, until deadline: ContinuousClock.Instant, cancellable: Bool = true
    ) throws(SystemError) -> WaitOutcome {
        var descriptors = [pollfd(fd: fd, events: events, revents: 0)]
        return try wait(&descriptors, until: deadline, cancellable: cancellable)
    }

    /// Whether one of `descriptors` has an event now, without waiting. `EINTR` is retried.
    /// - Throws: `SystemError` (`poll`).
    static func pollNow(_ descriptors: inout [pollfd]) throws(SystemError) -> Bool {
        while true {
            let rc = Glibc.poll(&descriptors, nfds_t(descriptors.count), 0)
            if rc >= 0 { return rc > 0 }
            if errno != EINTR { throw .last("poll") }
        }
    }

    /// A poll timeout for `duration`: whole milliseconds, rounded up, at least 1 (0 would not wait at all).
    static func timeoutMilliseconds(_ duration: Duration) -> Int32 {
        Int32(min(Double(Int32.max), max(1, duration.milliseconds.rounded(.up))))
    }
}
