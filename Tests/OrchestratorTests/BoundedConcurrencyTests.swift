import Testing

@testable import Orchestrator

/// The window `Fleet.connect` opens sessions through: never more in flight than the limit, every result kept in
/// the order of the items.
@Suite struct BoundedConcurrencyTests {
    actor InFlight {
        private(set) var now = 0
        private(set) var most = 0
        func enter() {
            now += 1
            most = max(most, now)
        }
        func leave() { now -= 1 }
    }

    @Test("at most `limit` operations run at once, and the results keep the items' order")
    func window() async {
        let inFlight = InFlight()
        let results = await BoundedConcurrency.map(Array(0..<60), limit: 4) { item in
            await inFlight.enter()
            for _ in 0..<20 { await Task.yield() }
            await inFlight.leave()
            return item * 2
        }
        #expect(results == (0..<60).map { $0 * 2 })
        #expect(await inFlight.most <= 4)
        #expect(await inFlight.now == 0)
    }

    @Test("a limit above the item count, or below one, still runs every item once")
    func edges() async {
        #expect(await BoundedConcurrency.map([1, 2, 3], limit: 100) { $0 } == [1, 2, 3])
        #expect(await BoundedConcurrency.map([1, 2, 3], limit: 0) { $0 } == [1, 2, 3])
        #expect(await BoundedConcurrency.map([Int](), limit: 3) { $0 } == [])
    }
}
