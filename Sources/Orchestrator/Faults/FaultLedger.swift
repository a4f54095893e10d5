public import Foundation
public import PlanModel

/// The faults in place on a lab or cluster, kept in `<state root>/faults/<topology name>.json` from the moment
/// each is applied, with how to undo it: the end of a run heals them, `lab down` too (and `--fresh`), and a run
/// killed half-way leaves them recorded for its `--resume`, which heals them at its end.
public struct FaultLedger: Sendable {
    /// One fault in place, and how to take it away.
    public struct Entry: Sendable, Hashable, Codable {
        public var summary: String
        public var undo: Undo
        public var appliedAt: Date
    }

    /// What undoes a fault.
    public enum Undo: Sendable, Hashable, Codable {
        /// Commands run in the lab's switch namespace (`ip link set … up`, `tc qdisc del …`, `nft delete table …`).
        case switchCommands([[String]])
        /// SIGCONT to every process of a lab node (its network namespace, by inode).
        case continueLabNode(NodeName, netnsInode: UInt64)
        /// A script run on a node through its agent.
        case nodeScript(NodeName, String)
        /// Nothing can be undone (a killed node stays dead); kept so reports say so.
        case none
    }

    public let path: String

    public init(topology name: String, stateRoot: String) {
        path = "\(stateRoot)/faults/\(name).json"
    }

    public func entries() -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode([Entry].self, from: data)) ?? []
    }

    /// Records a fault before the caller makes it happen, so it is never in place unrecorded.
    func add(_ entry: Entry) throws {
        try write(entries() + [entry])
    }

    /// Removes the entries `keep` says no to.
    func remove(where drop: (Entry) -> Bool) throws {
        try write(entries().filter { !drop($0) })
    }

    func write(_ entries: [Entry]) throws {
        guard !entries.isEmpty else {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(entries).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
