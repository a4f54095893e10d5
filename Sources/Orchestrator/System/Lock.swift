import Synchronization

/// A mutual-exclusion lock for small critical sections in classes that cannot hold a `Mutex` by value.
final class Lock: Sendable {
    private let mutex = Mutex(())

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        try mutex.withLock { _ in try body() }
    }
}
