import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Removes everything a lab's journal records, in reverse order, even after `lab up` was killed half-way.
///
/// Processes are signalled only through a pidfd opened before their identity is confirmed (the start time
/// recorded at creation, or the lab tag in their environment when the creator died before recording it), so a
/// PID reused meanwhile is never hit. Processes that entered a node's namespaces later (`sshd -i` sessions, what
/// they started) are found by namespace membership of confirmed holders — the lab's namespaces are sealed, so
/// nothing else lives there. Files are removed only when their resolved path lies inside the lab directory.
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

    /// Tears the lab down under its `LabLock`; a lab that is not there is not an error (`down` is idempotent).
    /// - Throws: `LabError.io` when the lock or the journal cannot be handled, or a process cannot be signalled.
    @discardableResult
    public func down() throws(LabError) -> Outcome {
        // No state directory: no lab, and nothing to lock (locking would create the directory).
        guard FileManager.default.fileExists(atPath: paths.labs) else {
            return Outcome(processesKilled: 0, objectsRemoved: 0, warnings: [], wasUp: false)
        }
        return try LabLock.withLock(paths: paths) { () throws(LabError) in try downHoldingLock() }
    }

    private func downHoldingLock() throws(LabError) -> Outcome {
        guard let records = LabJournal.read(path: paths.journal) else {
            var outcome = Outcome(processesKilled: 0, objectsRemoved: 0, warnings: [], wasUp: false)
            if FileManager.default.fileExists(atPath: paths.directory) {
                outcome.warnings.append("\(paths.directory) exists but has no journal; it was left untouched")
            }
            return outcome
        }
        var outcome = Outcome(processesKilled: 0, objectsRemoved: 0, warnings: [], wasUp: true)
        // Captures first: they run in the switch namespace, which ends with the holders.
        outcome.processesKilled += stopCaptures(records, warnings: &outcome.warnings)
        do {
            outcome.processesKilled += try removeProviderObjects(records, warnings: &outcome.warnings)
            outcome.processesKilled += try killProcesses(records, warnings: &outcome.warnings)
        } catch {
            throw LabError.io("cannot end the processes of lab '\(paths.name)'", error)
        }
        outcome.objectsRemoved = removeFiles(records, warnings: &outcome.warnings)
        do {
            try SystemCall.unlink(paths.journal)
        } catch {
            throw LabError.io("cannot remove the lab journal \(paths.journal)", error)
        }
        for warning in outcome.warnings { logger.warning("\(warning)", metadata: ["lab": "\(paths.name)"]) }
        return outcome
    }

    /// Removes the files and directories the journal records, deepest first; a path that resolves outside the lab
    /// directory (through a symbolic link, `..`, or a sibling whose name merely starts the same) is left alone.
    private func removeFiles(_ records: [LabJournalRecord], warnings: inout [String]) -> Int {
        var recorded: [String] = []
        for record in records where record.event == .intent {
            switch record.object {
            case .file(let path)?, .directory(let path)?: recorded.append(path)
            default: continue
            }
        }
        var removed = 0
        for path in recorded.reversed() {
            guard (try? SystemCall.status(ofPath: path)) != nil else { continue }  // gone already
            guard paths.containsForRemoval(path) else {
                warnings.append("\(path) is not inside \(paths.directory) once links are resolved; not removed")
                continue
            }
            do {
                try FileManager.default.removeItem(atPath: path)
                removed += 1
            } catch {
                warnings.append("cannot remove \(path): \(error)")
            }
        }
        return removed
    }
}
