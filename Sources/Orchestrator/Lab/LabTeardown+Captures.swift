import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension LabTeardown {
    /// Stops the packet captures a run left behind (a run that crashed before stopping them): each by its
    /// recorded PID, confirmed by the start time recorded at creation — or, when the run died before
    /// recording it, by its PID file and the lab tag in its environment. Returns how many were stopped.
    func stopCaptures(_ records: [LabJournalRecord], warnings: inout [String]) -> Int {
        var running: [LabObject: (pid: Int32?, startTime: UInt64?)] = [:]
        for record in records {
            guard let object = record.object, case .capture = object else { continue }
            switch record.event {
            case .intent: running[object] = running[object] ?? (nil, nil)
            case .created: running[object] = (record.pid, record.startTime)
            case .removed: running[object] = nil
            case .complete: break
            }
        }
        var stopped: [Int32] = []
        for (object, identity) in running {
            guard case .capture(_, let pidFile, let tag) = object else { continue }
            if let pid = identity.pid, let startTime = identity.startTime {
                if ProcFS.startTime(of: pid) == startTime { stopped.append(pid) }
                continue
            }
            guard let bytes = ProcFS.read(pidFile),
                let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            if ProcFS.environment(of: pid).contains("TESTBED_LAB=\(tag)") {
                stopped.append(pid)
            } else if ProcFS.isAlive(pid) {
                warnings.append("PID \(pid) in \(pidFile) is not this lab's \(object) any more; not touched")
            }
        }
        // SIGTERM lets tcpdump finish its file; what it wrote with -U is already complete.
        for pid in stopped { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(5)
        var remaining = Set(stopped)
        while !remaining.isEmpty {
            for pid in remaining {
                var status: Int32 = 0
                _ = waitpid(pid, &status, WNOHANG)
                if !ProcFS.isAlive(pid) { remaining.remove(pid) }
            }
            if ContinuousClock.now >= deadline {
                for pid in remaining { kill(pid, SIGKILL) }
                break
            }
            if !remaining.isEmpty { usleep(2_000) }
        }
        return stopped.count
    }
}
