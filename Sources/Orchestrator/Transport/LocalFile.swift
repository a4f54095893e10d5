#if canImport(Glibc)
    import Glibc
#endif

/// Small, blocking local-file helpers for the SSH layer: known_hosts files and private keys.
enum LocalFile {
    /// Expands a leading `~/` (or a lone `~`) to `$HOME`, as OpenSSH does for identity and known_hosts paths.
    static func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = ProcessEnvironment.value("HOME") ?? "/"
        return home + path.dropFirst()
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Reads a whole file.
    /// - Returns: The bytes, or nil if the file does not exist.
    /// - Throws: `SystemError` when the file exists but cannot be read.
    static func contents(of path: String) throws(SystemError) -> [UInt8]? {
        try SystemCall.readFile(path)
    }

    /// Appends `text` to a file, creating it with mode 0600 if needed, in one `write` so concurrent appends
    /// from other nodes' connections do not interleave within a line.
    /// - Throws: `SystemError` when the file cannot be opened or written.
    static func append(_ text: String, to path: String) throws(SystemError) {
        let fd = try SystemCall.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        defer { SystemCall.close(fd) }
        let bytes = Array(text.utf8)
        let written: Int?
        do {
            written = try SystemCall.write(fd, bytes)
        } catch {
            throw SystemError(call: error.call, errno: error.errno, detail: path)
        }
        guard written == bytes.count else { throw SystemError(call: "write", errno: EIO, detail: path) }
    }
}
