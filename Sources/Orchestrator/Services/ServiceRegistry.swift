import Foundation
public import PlanModel
import Synchronization

/// The services a run has started, per node: what to watch before each unit on that node, and what to stop
/// and collect at the end of the run.
public final class ServiceRegistry: Sendable {
    public struct Entry: Sendable, Hashable {
        public var node: NodeName
        public var name: ServiceName
        public var pid: Int32?
        /// Set once the run stopped it, or saw it end.
        public var exitStatus: String?
        /// A plan step stopped it (rather than the run seeing it end on its own).
        public var stoppedByStep = false
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    public var all: [Entry] { entries.withLock { $0 } }

    func started(_ name: ServiceName, on node: NodeName, pid: Int32?) {
        entries.withLock { list in
            list.removeAll { $0.node == node && $0.name == name }
            list.append(Entry(node: node, name: name, pid: pid))
        }
    }

    func ended(_ name: ServiceName, on node: NodeName, status: String, byStep: Bool = false) {
        entries.withLock { list in
            for index in list.indices where list[index].node == node && list[index].name == name {
                list[index].exitStatus = status
                list[index].stoppedByStep = byStep
            }
        }
    }

    /// Per service, how many of the commands it logged conformance checks have compared already.
    private let compared = Mutex<[String: Int]>([:])

    /// The commands of `all` (a service's logged commands, oldest first) no earlier check has compared.
    func uncompared(_ all: [String], of name: ServiceName, on node: NodeName) -> [String] {
        compared.withLock { seen in
            let key = "\(node)/\(name)"
            let start = min(seen[key] ?? 0, all.count)
            seen[key] = all.count
            return Array(all[start...])
        }
    }

    /// The services of a node the run still believes to be running.
    func running(on node: NodeName) -> [ServiceName] {
        entries.withLock { list in list.filter { $0.node == node && $0.exitStatus == nil }.map(\.name) }
    }
}
