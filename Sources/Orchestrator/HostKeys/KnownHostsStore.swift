#if canImport(Glibc)
    import Glibc
#endif

/// Reads and appends known_hosts files: the only part of host-key checking that touches the disk.
struct KnownHostsStore: Sendable {
    /// The files, `~` already expanded. The first is where new entries go.
    var paths: [String]

    /// The files OpenSSH reads by default for a user.
    static let defaultPaths = ["~/.ssh/known_hosts"]

    /// - Parameter paths: Files to read, as written by the user (`~/` is expanded); empty means the default.
    init(paths: [String]) {
        self.paths = (paths.isEmpty ? Self.defaultPaths : paths).map(LocalFile.expandTilde)
    }

    /// Loads and parses every file. A missing file counts as empty, as in OpenSSH. Each file is read every time;
    /// its parse is reused from `cache` when the bytes are unchanged.
    /// - Throws: `SystemError` when a file exists but cannot be read.
    func load(cache: KnownHostsFileCache = .shared) throws(SystemError) -> KnownHosts {
        var files: [KnownHostsFile] = []
        for path in paths {
            let bytes = try LocalFile.contents(of: path) ?? []
            files.append(cache.file(parsing: bytes, path: path))
        }
        return KnownHosts(files: files)
    }

    /// Appends an entry for `hostName` to the first file (creating it if needed), hashed if that file hashes.
    /// - Parameters:
    ///   - key: The server's key.
    ///   - hostName: The lookup name.
    ///   - current: The files as loaded, to know whether the first one hashes and ends with a newline.
    /// - Returns: Where the entry was written.
    /// - Throws: `SystemError` when the file cannot be written.
    func append(key: HostKey, hostName: String, current: KnownHosts) throws(SystemError) -> KnownHostsLocation {
        let path = paths[0]
        let file = current.files.first { $0.path == path }
        let hashed = file?.usesHashing ?? false
        guard let salt = hashed ? HostKeyCrypto.randomBytes(20) : [] else {
            throw SystemError(call: "read", errno: EIO, detail: "/dev/urandom")
        }
        let line = KnownHosts.entryLine(for: key, hostName: hostName, hashed: hashed, salt: salt)
        let needsNewline = !(file?.endsWithNewline ?? true)
        try LocalFile.append((needsNewline ? "\n" : "") + line + "\n", to: path)
        return KnownHostsLocation(file: path, line: (file?.lineCount ?? 0) + 1)
    }
}
