import Glibc
import Synchronization
import Testing

@testable import Orchestrator

/// An actor whose jobs run on a ``ThreadExecutor``, as a node connection's will.
private actor ExecutorBoundRecorder {
    let executor: ThreadExecutor
    private(set) var order: [Int] = []
    private(set) var threads: Set<UInt> = []
    private(set) var count = 0

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(executor: ThreadExecutor) { self.executor = executor }

    func record(_ value: Int) {
        order.append(value)
        threads.insert(UInt(pthread_self()))
    }

    /// Starts `count` tasks from inside the actor; each is enqueued on the executor as it is created.
    func spawnInOrder(_ count: Int) async {
        var tasks: [Task<Void, Never>] = []
        for value in 0..<count { tasks.append(Task { self.record(value) }) }
        for task in tasks { await task.value }
    }

    func increment() { count += 1 }

    /// Blocks the executor's thread, as a libssh2 `poll()` would.
    /// - Returns: When the block began and ended.
    func block(milliseconds: UInt32) -> ClosedRange<ContinuousClock.Instant> {
        let start = ContinuousClock.now
        usleep(milliseconds * 1000)
        return start...ContinuousClock.now
    }

    func isOnExecutorThread() -> Bool { executor.isCurrent }

    func threadID() -> UInt { UInt(pthread_self()) }
}

@Suite("ThreadExecutorTests") struct ThreadExecutorTests {
    @Test("jobs run in the order they were enqueued, all on one thread that is not the caller's")
    func orderAndThread() async {
        let executor = ThreadExecutor(name: "order")
        let recorder = ExecutorBoundRecorder(executor: executor)
        await recorder.spawnInOrder(200)
        #expect(await recorder.order == Array(0..<200))
        let threads = await recorder.threads
        #expect(threads.count == 1)
        #expect(!threads.contains(UInt(pthread_self())))
        #expect(await recorder.isOnExecutorThread())
        #expect(!executor.isCurrent)
        executor.shutdown()
    }

    @Test("an actor on it stays mutually exclusive under concurrent callers")
    func exclusion() async {
        let executor = ThreadExecutor(name: "exclusion")
        let recorder = ExecutorBoundRecorder(executor: executor)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { for _ in 0..<50 { await recorder.increment() } } }
        }
        #expect(await recorder.count == 1000)
        executor.shutdown()
    }

    @Test("blocking executors' threads run at the same time, off the 2-thread cooperative pool")
    func blockingStaysOffThePool() async {
        let recorders = (0..<4).map { ExecutorBoundRecorder(executor: ThreadExecutor(name: "block-\($0)")) }
        let intervals = await withTaskGroup(of: ClosedRange<ContinuousClock.Instant>.self) { group in
            for recorder in recorders { group.addTask { await recorder.block(milliseconds: 1000) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // Four one-second blocks that all overlap ran on four threads at once; the cooperative pool has two.
        let latestStart = intervals.map(\.lowerBound).max()
        let earliestEnd = intervals.map(\.upperBound).min()
        #expect(intervals.count == 4)
        if let latestStart, let earliestEnd { #expect(latestStart < earliestEnd) }
        var threads: Set<UInt> = []
        for recorder in recorders { threads.insert(await recorder.threadID()) }
        #expect(threads.count == 4)
        for recorder in recorders { recorder.executor.shutdown() }
    }

    @Test("shutdown lets the idle thread exit; a later job still runs, on a fresh thread")
    func shutdown() async throws {
        let executor = ThreadExecutor(name: "shutdown")
        let recorder = ExecutorBoundRecorder(executor: executor)
        await recorder.record(1)
        #expect(executor.hasThread)
        executor.shutdown()
        let deadline = ContinuousClock.now + .seconds(2)
        while executor.hasThread && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!executor.hasThread)
        await recorder.record(2)
        #expect(await recorder.order == [1, 2])
        while executor.hasThread && ContinuousClock.now < deadline + .seconds(2) {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(!executor.hasThread, "after shutdown, a late job's thread exits again when idle")
    }
}
