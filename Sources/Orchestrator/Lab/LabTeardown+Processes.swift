import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension LabTeardown {
    /// How a recorded holder is recognised: by the start time recorded at creation, or — when `lab up` died
    /// before recording it — by the lab tag in its environment, found through the PID file it wrote itself.
    struct HolderIdentity {
        let role: HolderRole
        let pid: Int32
        /// nil: not recorded; the tag decides.
        let startTime: UInt64?
        let tag: String

        /// Whether the process that has `pid` now is this holder.
        func matches(_ pid: Int32) -> Bool {
            if let startTime { return ProcFS.startTime(of: pid) == startTime }
            var environment = ProcFS.environment(of: pid)
            // A process in the middle of an exec (the holders exec twice on their way up) shows an empty
            // environment until the new program is set up: look again for a moment.
            for _ in 0..<200 where environment.isEmpty && ProcFS.isAlive(pid) {
                usleep(1_000)
                environment = ProcFS.environment(of: pid)
            }
            return environment.contains("TESTBED_LAB=\(tag)")
        }
    }

    /// The holders the journal names, with how to recognise each.
    static func holderIdentities(_ records: [LabJournalRecord]) -> [HolderIdentity] {
        var created: [HolderRole: (pid: Int32, startTime: UInt64)] = [:]
        var tags: [HolderRole: (pidFile: String, tag: String)] = [:]
        for record in records {
            guard case .process(let role, let pidFile, let tag)? = record.object else { continue }
            tags[role] = (pidFile, tag)
            if record.event == .created, let pid = record.pid, let startTime = record.startTime {
                created[role] = (pid, startTime)
            }
        }
        return tags.sorted(by: { $0.key < $1.key }).compactMap { role, identity in
            if let recorded = created[role] {
                return HolderIdentity(role: role, pid: recorded.pid, startTime: recorded.startTime, tag: identity.tag)
            }
            guard let bytes = ProcFS.read(identity.pidFile),
                let pid = Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            else { return nil }
            return HolderIdentity(role: role, pid: pid, startTime: nil, tag: identity.tag)
        }
    }

    /// Kills the holders and every process inside their namespaces, then waits until all are gone.
    /// - Returns: How many processes were signalled.
    func killProcesses(_ records: [LabJournalRecord], warnings: inout [String]) throws(SystemError) -> Int {
        var signalled: [PinnedProcess] = []
        let namespaces = NamespaceHold()
        for identity in Self.holderIdentities(records) {
            guard let holder = try PinnedProcess.pin(identity.pid) else { continue }
            guard identity.matches(identity.pid) else {
                if identity.startTime == nil {
                    warnings.append("PID \(identity.pid) is not this lab's \(identity.role) any more; not touched")
                }
                continue
            }
            // Held open, the holder's namespaces cannot be freed and their inodes reused while we look for members.
            // They count only if the pinned holder still exists after they were opened: then its PID was not
            // reused, and /proc/PID named the holder.
            try namespaces.hold(of: identity.pid) { () throws(SystemError) in try holder.signal(0) }
            if try holder.signal(SIGKILL) { signalled.append(holder) }
        }
        signalled += try killMembers(of: namespaces)
        let remaining = PinnedProcess.waitForEnd(of: signalled, until: .now + .seconds(10))
        for process in signalled {
            var status: Int32 = 0
            _ = waitpid(process.pid, &status, WNOHANG)  // reaps holders that are our own children
        }
        if !remaining.isEmpty {
            let pids = remaining.map(\.pid).sorted().map(String.init).joined(separator: ", ")
            warnings.append("processes \(pids) did not end within 10 s")
        }
        return signalled.count
    }

    /// Kills every process in the held namespaces, looking again until a look finds none (a process may fork
    /// while its siblings are being killed).
    ///
    /// `ip netns exec` inside a node gives its program new net and mount namespaces but keeps the node's UTS
    /// namespace, so UTS membership finds those processes too.
    private func killMembers(of namespaces: NamespaceHold) throws(SystemError) -> [PinnedProcess] {
        var signalled: [Int32: PinnedProcess] = [:]
        var killed: [PinnedProcess] = []
        for _ in 0..<20 {
            var found = 0
            for (kind, inodes) in namespaces.inodes {
                for pid in ProcFS.processes(inNamespaces: inodes, kind: kind) where pid != getpid() {
                    // Killed already and still dying: not a new process.
                    if let earlier = signalled[pid], !earlier.hasEnded() { continue }
                    guard ProcFS.isAlive(pid) else { continue }
                    let outcome = try PinnedProcess.signal(SIGKILL, pid: pid) { pid in
                        ProcFS.namespaceInode(of: pid, kind: kind).map(inodes.contains) ?? false
                    }
                    if case .signalled(let process) = outcome {
                        signalled[pid] = process
                        killed.append(process)
                        found += 1
                    }
                }
            }
            if found == 0 { break }
        }
        return killed
    }
}

/// Open descriptors of a lab's namespaces: while they are open the namespaces exist, so their inode numbers
/// keep naming them (a freed namespace's inode can be given to a new namespace of anyone's).
final class NamespaceHold {
    private var descriptors: [Int32] = []
    /// Inodes by kind ("net", "mnt", "uts"); never the root namespaces of this process.
    private(set) var inodes: [String: Set<UInt64>] = [:]

    deinit { for fd in descriptors { SystemCall.close(fd) } }

    /// Opens the net, mount and UTS namespaces of `pid` and keeps them if `stillSame()` then confirms that `pid`
    /// still names the process meant. Namespaces it cannot open (the process just ended) are skipped.
    func hold(of pid: Int32, confirmedBy stillSame: () throws(SystemError) -> Bool) throws(SystemError) {
        var opened: [(kind: String, fd: Int32, inode: UInt64)] = []
        for kind in ["net", "mnt", "uts"] {
            guard let fd = try? SystemCall.open("/proc/\(pid)/ns/\(kind)", O_RDONLY) else { continue }
            guard let status = try? SystemCall.status(of: fd),
                ProcFS.namespaceInode(of: getpid(), kind: kind) != UInt64(status.st_ino)
            else {
                // The root namespaces are never a lab's: guard against a holder caught before it unshared.
                SystemCall.close(fd)
                continue
            }
            opened.append((kind, fd, UInt64(status.st_ino)))
        }
        guard try stillSame() else {
            for namespace in opened { SystemCall.close(namespace.fd) }
            return
        }
        for namespace in opened {
            descriptors.append(namespace.fd)
            inodes[namespace.kind, default: []].insert(namespace.inode)
        }
    }
}
