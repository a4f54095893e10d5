#if canImport(Glibc)
    import Glibc
#endif

/// Reads what the lab needs to know about processes from `/proc`: identity (start time, environment
/// tag) and namespace membership. Used to kill exactly the processes the lab made, never by name.
enum ProcFS {
    /// Reads a whole (pseudo-)file; nil when it does not exist or cannot be read (a process that just ended).
    static func read(_ path: String) -> [UInt8]? {
        (try? SystemCall.readFile(path)) ?? nil
    }

    /// Fields of `/proc/PID/stat` after the command name (which may contain spaces and parentheses).
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let bytes = read("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// The process start time in clock ticks since boot (field 22): with the PID, a unique identity.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// True if the process exists and has not exited (a zombie counts as gone).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let fields = statFields(pid), let state = fields.first else { return false }
        return state != "Z" && state != "X"
    }

    /// The inode of a namespace of a process, e.g. kind "net" → 4026532281.
    static func namespaceInode(of pid: Int32, kind: String) -> UInt64? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/\(pid)/ns/\(kind)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let open = text.firstIndex(of: "["), let close = text.firstIndex(of: "]") else { return nil }
        return UInt64(text[text.index(after: open)..<close])
    }

    /// The environment a process was started with (`KEY=value` entries).
    static func environment(of pid: Int32) -> [String] {
        guard let bytes = read("/proc/\(pid)/environ") else { return [] }
        return bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every PID currently in /proc.
    static func allPIDs() -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var result: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let pid = Int32(name) { result.append(pid) }
        }
        return result
    }

    /// PIDs of the processes whose namespace of `kind` is one of `inodes`.
    static func processes(inNamespaces inodes: Set<UInt64>, kind: String) -> [Int32] {
        guard !inodes.isEmpty else { return [] }
        return allPIDs().filter { pid in
            namespaceInode(of: pid, kind: kind).map(inodes.contains) ?? false
        }
    }
}
