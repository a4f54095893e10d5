import Synchronization

/// Parsed known_hosts files, reused while a file's bytes stay exactly the same.
///
/// Every session of a lab reads the lab's known_hosts, one line per node: parsed anew for each of 1,000 sessions,
/// connecting did a million line parses (base64 and key blobs included). The file is still read on every connect
/// and compared byte for byte with what was parsed, so an entry added, changed or revoked is seen at once.
final class KnownHostsFileCache: Sendable {
    /// The process-wide cache the SSH layer uses.
    static let shared = KnownHostsFileCache()

    private struct Parsed {
        var bytes: [UInt8]
        var file: KnownHostsFile
    }

    private let parsed = Mutex<[String: Parsed]>([:])
    private let parseCount = Mutex(0)

    /// How many times a file was parsed (not taken from the cache), for tests.
    var parses: Int { parseCount.withLock { $0 } }

    /// The parse of `bytes`, the current contents of the file at `path`: the cached one when the bytes are those
    /// parsed last time for that path, else a fresh parse, which replaces it.
    func file(parsing bytes: [UInt8], path: String) -> KnownHostsFile {
        if let cached = parsed.withLock({ $0[path] }), cached.bytes == bytes { return cached.file }
        let file = KnownHostsFile(parsing: String(decoding: bytes, as: UTF8.self), path: path)
        parseCount.withLock { $0 += 1 }
        parsed.withLock { $0[path] = Parsed(bytes: bytes, file: file) }
        return file
    }
}
