import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The provider objects of a lab's journal: LXD members asked to shut down (their containers stop cleanly),
/// recorded daemons killed only while their PID still has the recorded start time, any process left in a recorded
/// network namespace killed as a member of it, then the containers' empty cgroups and the namespaces removed.
extension LabTeardown {
    /// Everything provider-made, before the files are removed. Returns how many processes were signalled.
    func removeProviderObjects(_ records: [LabJournalRecord], warnings: inout [String]) throws(SystemError) -> Int {
        let intents = records.filter { $0.event == .intent }.compactMap(\.object)
        guard intents.contains(where: Self.isProviderObject) else { return 0 }
        removeEndpointObjects(intents, warnings: &warnings)
        shutDownMembers(intents, warnings: &warnings)
        var signalled: [PinnedProcess] = []
        for record in records where record.event == .created {
            guard case .daemon? = record.object, let pid = record.pid, let startTime = record.startTime else {
                continue
            }
            let outcome = try PinnedProcess.signal(SIGKILL, pid: pid) { ProcFS.startTime(of: $0) == startTime }
            if case .signalled(let process) = outcome { signalled.append(process) }
        }
        let namespaces = intents.compactMap { object -> String? in
            if case .networkNamespace(let name) = object { return name } else { return nil }
        }
        signalled += try killMembers(ofNamespaces: namespaces)
        let remaining = PinnedProcess.waitForEnd(of: signalled, until: .now + .seconds(20))
        for process in signalled {
            var status: Int32 = 0
            _ = waitpid(process.pid, &status, WNOHANG)
        }
        if !remaining.isEmpty {
            warnings.append(
                "processes \(remaining.map { String($0.pid) }.joined(separator: ", ")) did not end within 20 s")
        }
        removeContainerCgroups(intents)
        detachLoopDevices(intents, warnings: &warnings)
        for name in namespaces.reversed() where FileManager.default.fileExists(atPath: "/run/netns/" + name) {
            let ip = ProcessEnvironment.which("ip") ?? "/usr/sbin/ip"
            let output = try? ProcessRunner.run(ip, ["netns", "delete", name], timeout: .seconds(30))
            if output?.status.isSuccess != true {
                warnings.append("cannot delete network namespace \(name): \(output?.stderrText ?? "ip did not run")")
            }
        }
        return signalled.count
    }

    static func isProviderObject(_ object: LabObject) -> Bool {
        switch object {
        case .networkNamespace, .daemon, .lxdMember, .container, .lxdEndpoint, .endpointObject: true
        default: false
        }
    }

    /// For every member whose daemon still has its socket: its containers stopped by force (a lab's containers
    /// hold nothing worth a clean shutdown, and LXD then removes their cgroups itself), then `lxd shutdown`.
    private func shutDownMembers(_ intents: [LabObject], warnings: inout [String]) {
        let lxd = ProcessEnvironment.which("lxd")
        let lxc = ProcessEnvironment.which("lxc")
        for case .lxdMember(let index, let directory, let netns) in intents.reversed() {
            guard let lxd, let lxc, FileManager.default.fileExists(atPath: directory + "/lxd/unix.socket"),
                FileManager.default.fileExists(atPath: "/run/netns/" + netns)
            else { continue }
            let shell = ProviderShell(
                environment: ["LXD_DIR=\(directory)/lxd", "LXD_CONF=\(directory)/conf"],
                networkNamespace: "/run/netns/" + netns, timeout: .seconds(40))
            var containers: [String] = []
            for case .container(let member, let name) in intents where member == index { containers.append(name) }
            if !containers.isEmpty {
                _ = try? shell.runAllowingFailure(lxc, ["stop", "--force"] + containers)
            }
            let output = try? shell.runAllowingFailure(lxd, ["shutdown", "--timeout", "30"])
            if output?.status.isSuccess != true {
                logger.notice("LXD member m\(index) did not shut down cleanly; its processes are killed")
            }
        }
    }

    /// Kills every process whose network namespace is one of the named ones, looking again until none is left.
    private func killMembers(ofNamespaces names: [String]) throws(SystemError) -> [PinnedProcess] {
        var inodes: Set<UInt64> = []
        for name in names {
            if let status = try? SystemCall.status(ofPath: "/run/netns/" + name) {
                inodes.insert(UInt64(status.st_ino))
            }
        }
        guard !inodes.isEmpty else { return [] }
        var killed: [PinnedProcess] = []
        for _ in 0..<20 {
            var found = 0
            for pid in ProcFS.processes(inNamespaces: inodes, kind: "net") where pid != getpid() {
                let outcome = try PinnedProcess.signal(SIGKILL, pid: pid) { pid in
                    ProcFS.namespaceInode(of: pid, kind: "net").map(inodes.contains) ?? false
                }
                if case .signalled(let process) = outcome {
                    killed.append(process)
                    found += 1
                }
            }
            if found == 0 { break }
            usleep(20_000)
        }
        return killed
    }

    /// A member's btrfs pool is a loop file in its directory; LXD marks the loop device to clear itself when the
    /// member's mount namespace ends, and one that is still attached afterwards is detached here.
    private func detachLoopDevices(_ intents: [LabObject], warnings: inout [String]) {
        let directories = intents.compactMap { object -> String? in
            if case .lxdMember(_, let directory, _) = object { return directory + "/" } else { return nil }
        }
        guard !directories.isEmpty,
            let devices = try? FileManager.default.contentsOfDirectory(atPath: "/sys/block")
        else { return }
        for device in devices where device.hasPrefix("loop") {
            guard let bytes = ProcFS.read("/sys/block/\(device)/loop/backing_file") else { continue }
            let file = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard directories.contains(where: file.hasPrefix) else { continue }
            let losetup = ProcessEnvironment.which("losetup") ?? "/usr/sbin/losetup"
            let output = try? ProcessRunner.run(losetup, ["-d", "/dev/" + device], timeout: .seconds(30))
            if output?.status.isSuccess != true {
                warnings.append("cannot detach /dev/\(device) (backed by \(file)): \(output?.stderrText ?? "")")
            }
        }
    }

    /// LXD names its containers' cgroups after them in the host's hierarchies (with `-2`, `-3` … when the name
    /// is taken); after a kill they stay, empty.
    /// With cgroup v2 alone there is one hierarchy at /sys/fs/cgroup; a hybrid host has one per v1 controller
    /// beside `unified`, each with its own copy.
    private func removeContainerCgroups(_ intents: [LabObject]) {
        let names = intents.compactMap { object -> String? in
            if case .container(_, let name) = object { return name } else { return nil }
        }
        guard !names.isEmpty else { return }
        for root in Self.cgroupRoots() {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            where names.contains(where: { Self.isContainerCgroup(entry, of: $0) }) {
                removeEmptyCgroup(root + "/" + entry)
            }
        }
    }

    /// `lxc.payload.NAME` or `lxc.monitor.NAME`, or with liblxc's `-N` when that name was taken at start.
    static func isContainerCgroup(_ entry: String, of name: String) -> Bool {
        for prefix in ["lxc.payload.", "lxc.monitor."] where entry.hasPrefix(prefix + name) {
            let rest = entry.dropFirst(prefix.count + name.count)
            if rest.isEmpty { return true }
            if rest.first == "-", rest.count > 1, rest.dropFirst().allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    /// /sys/fs/cgroup itself on a v2 host, else each hierarchy mounted under it.
    static func cgroupRoots() -> [String] {
        let base = "/sys/fs/cgroup"
        if FileManager.default.fileExists(atPath: base + "/cgroup.controllers") { return [base] }
        let children = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return [base] + children.sorted().map { base + "/" + $0 }
    }

    /// Removes a cgroup directory and its empty children, deepest first (rmdir refuses a cgroup in use).
    private func removeEmptyCgroup(_ path: String) {
        guard let children = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for child in children {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + child, isDirectory: &isDirectory),
                isDirectory.boolValue
            {
                removeEmptyCgroup(path + "/" + child)
            }
        }
        rmdir(path)
    }
}
