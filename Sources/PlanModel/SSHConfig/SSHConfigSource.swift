#if canImport(Glibc)
    import Glibc
#endif

/// Where `Include` finds files: the one piece of an `ssh_config` read that touches the file system, kept behind
/// a protocol so the parser stays pure and tests can hand it files in memory.
public protocol SSHConfigSource {
    /// The files a pattern names (after `~` expansion and relative-path resolution), sorted, with their text.
    /// A pattern that matches nothing gives an empty list, as in OpenSSH.
    func files(matching pattern: String) -> [(path: String, text: String?)]
}

/// Reads included files from disk, expanding globs with `glob(3)`.
public struct SSHConfigFileSystem: SSHConfigSource {
    public init() {}

    public func files(matching pattern: String) -> [(path: String, text: String?)] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted().map { ($0, Self.read($0)) }
    }

    /// The file's text, or nil when it cannot be read as UTF-8.
    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// Files held in memory, for tests and for configurations assembled by a program. Globs use the host-pattern
/// wildcards `*` and `?`.
public struct SSHConfigMemorySource: SSHConfigSource {
    public var filesByPath: [String: String]

    public init(_ filesByPath: [String: String]) { self.filesByPath = filesByPath }

    public func files(matching pattern: String) -> [(path: String, text: String?)] {
        let wanted = Array(pattern.unicodeScalars)
        return filesByPath.keys.sorted()
            .filter { SSHHostPattern.wildcardMatch(wanted, Array($0.unicodeScalars)) }
            .map { ($0, filesByPath[$0]) }
    }
}
