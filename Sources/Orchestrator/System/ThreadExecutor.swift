#if canImport(Glibc)
    import Glibc
#endif

/// A serial executor that runs its jobs, in order, on one dedicated thread of its own.
///
/// An actor that owns blocking work (an SSH session whose calls `poll()` the socket) uses one, so the blocking
/// happens on this thread and never on Swift's cooperative pool:
/// ```swift
/// actor NodeConnection {
///     private let executor = ThreadExecutor(name: "node alfa")
///     nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
/// }
/// ```
/// One thread per node is the intended scale (100 nodes, 100 threads). The thread keeps the executor alive
/// until ``shutdown()``; after that the thread exits as soon as it has no jobs left. A job that still arrives
/// later is not lost: it gets a fresh thread, which exits again when idle.
public final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: `queue`, `isShutDown`, `isThreadRunning` and `runningThread` are only touched with
    // `mutex` held; `mutex` and `condition` are allocated once in init and freed in deinit, which cannot run
    // while a thread holds the executor (the thread owns a strong reference).

    /// A label for debugging.
    public let name: String
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var queue: [UnownedJob] = []
    private var isShutDown = false
    private var isThreadRunning = false
    private var runningThread: pthread_t? = nil

    /// Creates the executor; its thread starts with the first job.
    /// - Parameter name: A label for debugging, e.g. the node's name.
    public init(name: String) {
        self.name = name
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        queue.append(job)
        if !isThreadRunning { startThread() }
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the caller runs on this executor's thread.
    public var isCurrent: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard let runningThread else { return false }
        return pthread_equal(runningThread, pthread_self()) != 0
    }

    public func checkIsolated() {
        precondition(isCurrent, "expected to run on the thread of ThreadExecutor '\(name)'")
    }

    /// Lets the thread exit once no jobs are left. Idempotent.
    public func shutdown() {
        pthread_mutex_lock(mutex)
        isShutDown = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Whether a thread is running for this executor (for tests and diagnostics).
    var hasThread: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return isThreadRunning
    }

    /// Starts the thread. Called with `mutex` held.
    private func startThread() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let executor = Unmanaged<ThreadExecutor>.fromOpaque(context).takeRetainedValue()
                executor.runLoop()
                return nil
            }, context)
        guard rc == 0 else {
            Unmanaged<ThreadExecutor>.fromOpaque(context).release()
            // Without a thread no job could ever run, and awaiting tasks would hang silently.
            fatalError("ThreadExecutor '\(name)': pthread_create failed: \(String(cString: strerror(rc)))")
        }
        pthread_detach(thread)
        isThreadRunning = true
    }

    /// The thread's body: run jobs in arrival order until shut down and idle.
    private func runLoop() {
        pthread_mutex_lock(mutex)
        runningThread = pthread_self()
        while true {
            while queue.isEmpty && !isShutDown { pthread_cond_wait(condition, mutex) }
            if queue.isEmpty { break }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            pthread_mutex_unlock(mutex)
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            pthread_mutex_lock(mutex)
        }
        runningThread = nil
        isThreadRunning = false
        pthread_mutex_unlock(mutex)
    }
}
