import Synchronization

/// A request to stop a run after the blocks in flight (the first Ctrl-C), shared with a signal handler.
public final class StopSignal: Sendable {
    private let requested = Mutex<String?>(nil)

    public init() {}

    /// Asks the run to stop; the reason is reported.
    public func request(_ reason: String) {
        requested.withLock { if $0 == nil { $0 = reason } }
    }

    public var reason: String? { requested.withLock { $0 } }
}
