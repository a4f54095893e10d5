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

    func ended(_ name: ServiceName, on node: NodeName, status: String) {
        entries.withLock { list in
            for index in list.indices where list[index].node == node && list[index].name == name {
                list[index].exitStatus = status
            }
        }
    }

    /// The services of a node the run still believes to be running.
    func running(on node: NodeName) -> [ServiceName] {
        entries.withLock { list in list.filter { $0.node == node && $0.exitStatus == nil }.map(\.name) }
    }
}
