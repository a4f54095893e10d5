import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Removes everything a lab's journal records, in reverse order, even after `lab up` was killed half-way.
///
/// Processes are killed only by recorded PID, and only after their identity is confirmed (the start time
/// recorded at creation, or the lab tag in their environment when the creator died before recording it).
/// Processes that entered a node's namespaces later (`sshd -i` sessions, what they started) are found by
/// namespace membership of confirmed holders — the lab's namespaces are sealed, so nothing else lives there.
public struct LabTeardown {
    public let paths: LabPaths
    let logger: Logger

    public init(paths: LabPaths, logger: Logger) {
        self.paths = paths
        self.logger = logger
    }

    /// What `down` removed.
    public struct Outcome: Sendable {
        public var processesKilled: Int
        public var objectsRemoved: Int
        public var warnings: [String]
        public var wasUp: Bool
    }

    /// Tears the lab down; a lab that is not there is not an error (`down` is idempotent).
    @discardableResult
    public func down() throws(LabError) -> Outcome {
        guard let records = LabJournal.read(path: paths.journal) else {
            var outcome = Outcome(processesKilled: 0, objectsRemoved: 0, warnings: [], wasUp: false)
            if FileManager.default.fileExists(atPath: paths.directory) {
                outcome.warnings.append("\(paths.directory) exists but has no journal; it was left untouched")
            }
            return outcome
        }
        var outcome = Outcome(processesKilled: 0, objectsRemoved: 0, warnings: [], wasUp: true)
        outcome.processesKilled += stopCaptures(records, warnings: &outcome.warnings)
        let holders = confirmedHolders(records, warnings: &outcome.warnings)
        outcome.processesKilled += killHolders(holders, warnings: &outcome.warnings)
        outcome.objectsRemoved = removeFiles(records, warnings: &outcome.warnings)
        if unlink(paths.journal) != 0 && errno != ENOENT {
            throw LabError.io("cannot remove the lab journal \(paths.journal)", SystemError.last("unlink"))
        }
        for warning in outcome.warnings { logger.warning("\(warning)", metadata: ["lab": "\(paths.name)"]) }
        return outcome
    }

    /// Holder PIDs whose identity matches the journal.
    private func confirmedHolders(_ records: [LabJournalRecord], warnings: inout [String]) -> [Int32] {
        var startTimes: [HolderRole: UInt64] = [:]
        var pids: [HolderRole: Int32] = [:]
        var tags: [HolderRole: (pidFile: String, tag: String)] = [:]
        for record in records {
            guard case .process(let role, let pidFile, let tag)? = record.object else { continue }
            tags[role] = (pidFile, tag)
            if record.event == .created, let pid = record.pid, let startTime = record.startTime {
                pids[role] = pid
                startTimes[role] = startTime
            }
        }
        var confirmed: [Int32] = []
        for (role, identity) in tags.sorted(by: { $0.key < $1.key }) {
            if let pid = pids[role], let startTime = startTimes[role] {
                if ProcFS.startTime(of: pid) == startTime { confirmed.append(pid) }
                continue
            }
            // Created but not yet recorded when `lab up` died: the PID file and the lab tag identify it.
            guard let bytes = ProcFS.read(identity.pidFile),
                let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            if ProcFS.environment(of: pid).contains("TESTBED_LAB=\(identity.tag)") {
                confirmed.append(pid)
            } else if ProcFS.isAlive(pid) {
                warnings.append("PID \(pid) in \(identity.pidFile) is not this lab's \(role) any more; not touched")
            }
        }
        return confirmed
    }

    /// Kills the holders and every process inside their namespaces, then waits until all are gone.
    private func killHolders(_ holders: [Int32], warnings: inout [String]) -> Int {
        // `ip netns exec` inside a node gives its program new net and mount namespaces but keeps the
        // node's UTS namespace, so UTS membership finds those processes too.
        var victims = Set(holders)
        for kind in ["net", "mnt", "uts"] {
            var inodes = Set(holders.compactMap { ProcFS.namespaceInode(of: $0, kind: kind) })
            // The root namespaces are never a lab's: guard against a holder caught before it unshared.
            if let own = ProcFS.namespaceInode(of: getpid(), kind: kind) { inodes.remove(own) }
            victims.formUnion(ProcFS.processes(inNamespaces: inodes, kind: kind))
        }
        victims.remove(getpid())
        for pid in victims { kill(pid, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(10)
        var remaining = victims
        while !remaining.isEmpty && ContinuousClock.now < deadline {
            for pid in remaining {
                var status: Int32 = 0
                _ = waitpid(pid, &status, WNOHANG)  // reaps holders that are our own children
                if !ProcFS.isAlive(pid) { remaining.remove(pid) }
            }
            if !remaining.isEmpty { usleep(2_000) }
        }
        if !remaining.isEmpty {
            warnings.append(
                "processes \(remaining.sorted().map(String.init).joined(separator: ", ")) did not end within 10 s")
        }
        return victims.count
    }

    /// Removes the files and directories the journal records, deepest first.
    private func removeFiles(_ records: [LabJournalRecord], warnings: inout [String]) -> Int {
        var paths: [String] = []
        for record in records where record.event == .intent {
            switch record.object {
            case .file(let path)?, .directory(let path)?: paths.append(path)
            default: continue
            }
        }
        var removed = 0
        for path in paths.reversed() where path.hasPrefix(self.paths.directory) {
            if FileManager.default.fileExists(atPath: path) {
                do {
                    try FileManager.default.removeItem(atPath: path)
                    removed += 1
                } catch {
                    warnings.append("cannot remove \(path): \(error)")
                }
            }
        }
        return removed
    }
}
