import NodeAgentProtocol
import PlanModel
import Synchronization

@testable import Orchestrator

/// A node in memory for engine tests: every request is answered by the test's handler, and every start and
/// end of a request is written to the shared `EventLog`, so order is checked without bash, processes or sleeps.
struct ScriptedNode: NodeChannel {
    let name: NodeName
    var address: String { "memory" }
    let log: EventLog
    let handler: @Sendable (NodeName, NodeRequest) async -> NodeResponse

    func send(_ requests: [NodeRequest], timeout: Duration) async throws(NodeError) -> [NodeResponse] {
        var responses: [NodeResponse] = []
        for request in requests {
            let label = Self.label(request)
            log.append("start \(label)")
            responses.append(await handler(name, request))
            log.append("end \(label)")
        }
        return responses
    }

    /// A run request's script, or `ping ADDRESSES`.
    static func label(_ request: NodeRequest) -> String {
        switch request {
        case .run(let run): run.script
        case .ping(let ping): "ping " + ping.addresses.joined(separator: ",")
        case .hello: "hello"
        }
    }

    /// Nodes `names`, all answering with `handler`.
    static func fleet(
        _ names: [NodeName], log: EventLog, handler: @escaping @Sendable (NodeName, NodeRequest) async -> NodeResponse
    )
        -> [NodeName: any NodeChannel]
    {
        Dictionary(
            uniqueKeysWithValues: names.map {
                ($0, ScriptedNode(name: $0, log: log, handler: handler) as any NodeChannel)
            })
    }
}

/// The order things happened in, across nodes.
final class EventLog: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) { entries.withLock { $0.append(entry) } }

    var all: [String] { entries.withLock { $0 } }

    func clear() { entries.withLock { $0.removeAll() } }

    func index(of entry: String) -> Int? { all.firstIndex(of: entry) }
}

/// Lets one request wait until another has started: proves two units ran at the same time without timing.
actor Rendezvous {
    private var arrived: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func arrive(_ name: String) {
        arrived.insert(name)
        for continuation in waiting.removeValue(forKey: name) ?? [] { continuation.resume() }
    }

    /// Waits until `name` arrives; gives up after `limit` (a safety net so a wrong engine fails, not hangs).
    func wait(for name: String, limit: Duration = .seconds(10)) async -> Bool {
        if arrived.contains(name) { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.park(name) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            if !first { await self.release(name) }
            return first
        }
    }

    private func park(_ name: String) async -> Bool {
        if arrived.contains(name) { return true }
        await withCheckedContinuation { waiting[name, default: []].append($0) }
        return arrived.contains(name)
    }

    private func release(_ name: String) {
        for continuation in waiting.removeValue(forKey: name) ?? [] { continuation.resume() }
    }
}
