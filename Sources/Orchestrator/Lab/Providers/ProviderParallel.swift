import Foundation
import Synchronization

/// Runs blocking provider work (lxc and ssh processes, which mostly wait on a daemon or a booting node) for many
/// items on a few threads of their own, so one container's wait overlaps another's; the caller's thread waits.
enum ProviderParallel {
    /// Calls `work` once for every index of `0..<count`, at most `width` at a time, and returns each call's
    /// result in index order; after the first error no new call starts, and that error is thrown.
    static func map<Result: Sendable>(
        _ count: Int, width: Int, _ work: @escaping @Sendable (Int) throws(LabError) -> Result
    ) throws(LabError) -> [Result] {
        let state = Mutex<(next: Int, results: [Int: Result], error: LabError?)>((0, [:], nil))
        let done = DispatchGroup()
        for _ in 0..<min(max(width, 1), count) {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                while true {
                    let index: Int? = state.withLock { state in
                        guard state.error == nil, state.next < count else { return nil }
                        state.next += 1
                        return state.next - 1
                    }
                    guard let index else { return }
                    do throws(LabError) {
                        let result = try work(index)
                        state.withLock { $0.results[index] = result }
                    } catch {
                        state.withLock { state in if state.error == nil { state.error = error } }
                    }
                }
            }
            thread.start()
        }
        done.wait()
        let (results, error) = state.withLock { ($0.results, $0.error) }
        if let error { throw error }
        return (0..<count).compactMap { results[$0] }
    }
}
