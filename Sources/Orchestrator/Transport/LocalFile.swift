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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .last("open", path)
        }
        defer { close(fd) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count > 0 {
                contents.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                return contents
            } else if errno != EINTR {
                throw .last("read", path)
            }
        }
    }

    /// Appends `text` to a file, creating it with mode 0600 if needed, in one `write` so concurrent appends
    /// from other nodes' connections do not interleave within a line.
    /// - Throws: `SystemError` when the file cannot be opened or written.
    static func append(_ text: String, to path: String) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .last("open", path) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw written < 0 ? .last("write", path) : SystemError(call: "write", errno: EIO, detail: path)
        }
    }
}
