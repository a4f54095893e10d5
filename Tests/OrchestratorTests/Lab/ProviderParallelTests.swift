import Foundation
import Synchronization
import Testing

@testable import Orchestrator

@Suite struct ProviderParallelTests {
    @Test("every index is worked once and the results come back in index order")
    func order() throws {
        let calls = Mutex<[Int]>([])
        let results = try ProviderParallel.map(40, width: 4) { (index: Int) throws(LabError) -> String in
            calls.withLock { $0.append(index) }
            return "r\(index)"
        }
        #expect(results == (0..<40).map { "r\($0)" })
        #expect(calls.withLock { $0.sorted() } == Array(0..<40))
    }

    @Test("the calls overlap up to the width and never beyond it")
    func width() throws {
        let inFlight = Mutex<(now: Int, most: Int)>((0, 0))
        let allThree = DispatchSemaphore(value: 0)
        _ = try ProviderParallel.map(9, width: 3) { (_: Int) throws(LabError) in
            let now = inFlight.withLock { state in
                state.now += 1
                state.most = max(state.most, state.now)
                return state.now
            }
            // The first three calls wait for each other: they can only all return if three threads run them.
            if now == 3 {
                for _ in 0..<2 { allThree.signal() }
            } else if inFlight.withLock({ $0.most }) < 3 {
                _ = allThree.wait(timeout: .now() + 1)
            }
            inFlight.withLock { $0.now -= 1 }
        }
        #expect(inFlight.withLock { $0.most } == 3)
    }

    @Test("after the first error no new call starts, and that error is thrown")
    func firstError() {
        let calls = Mutex(0)
        #expect {
            _ = try ProviderParallel.map(10, width: 1) { (index: Int) throws(LabError) in
                calls.withLock { $0 += 1 }
                if index == 2 { throw LabError(.setupFailed, "node 2 failed", hint: "look at node 2") }
            }
        } throws: { ($0 as? LabError)?.message == "node 2 failed" }
        #expect(calls.withLock { $0 } == 3)
    }

    @Test("no items: no thread, no call")
    func empty() throws {
        let results = try ProviderParallel.map(0, width: 4) { (_: Int) throws(LabError) -> Int in
            Issue.record("called for an empty range")
            return 0
        }
        #expect(results.isEmpty)
    }
}
