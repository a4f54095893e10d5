import Foundation

/// Runs an operation over many items with at most `limit` of them in flight: opening a thousand SSH sessions at
/// once starts a thousand `sshd` processes that share the machine's cores, and the last of them miss their
/// handshake deadline; a window keeps each one short and the total the same or better.
public enum BoundedConcurrency {
    /// The results in the order of `items`.
    public static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], limit: Int, _ operation: @escaping @Sendable (Item) async -> Result
    ) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func start() {
                let index = next
                let item = items[index]
                next += 1
                group.addTask { (index, await operation(item)) }
            }
            while next < min(max(limit, 1), items.count) { start() }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < items.count { start() }
            }
            return results.compactMap { $0 }
        }
    }

    /// Connections opened at once: enough to overlap each handshake's waiting with the others' work.
    public static var connectWindow: Int { 16 * max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
