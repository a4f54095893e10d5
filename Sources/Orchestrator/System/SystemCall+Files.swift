import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// File-system calls on paths and descriptors.
extension SystemCall {
    /// A file's identity: the device and inode, which tell two names (or a name and a descriptor) of one file apart
    /// from names of different files.
    struct FileIdentity: Sendable, Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    /// `flock(2)`, exclusive. `EINTR` is retried.
    /// - Parameter wait: Block until the lock is free; when false, return false at once if it is held.
    /// - Returns: Whether the lock is now held.
    /// - Throws: `SystemError` (`flock`).
    static func lockExclusive(_ fd: Int32, wait: Bool) throws(SystemError) -> Bool {
        while true {
            if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == 0 { return true }
            if errno == EWOULDBLOCK && !wait { return false }
            if errno != EINTR { throw .last("flock") }
        }
    }

    /// The status of an open descriptor (`fstat(2)`).
    static func status(of fd: Int32) throws(SystemError) -> stat {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .last("fstat") }
        return status
    }

    /// The status of what `path` names, not following a final symbolic link (`lstat(2)`).
    /// - Returns: nil when nothing has that name.
    static func status(ofPath path: String) throws(SystemError) -> stat? {
        var status = stat()
        if lstat(path, &status) == 0 { return status }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw .last("lstat", path)
    }

    /// Removes a name. A name that is already gone is not an error.
    /// - Throws: `SystemError` (`unlink`).
    static func unlink(_ path: String) throws(SystemError) {
        guard Glibc.unlink(path) == 0 || errno == ENOENT else { throw .last("unlink", path) }
    }

    /// Reads up to `count` bytes at `offset` without moving the file position. `EINTR` is retried.
    static func read(_ fd: Int32, count: Int, at offset: Int) throws(SystemError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if got >= 0 { return Array(buffer[0..<got]) }
            if errno != EINTR { throw .last("pread") }
        }
    }

    /// The absolute path of `path` with every symbolic link, `.` and `..` resolved (`realpath(3)`).
    /// - Returns: nil when the path (or a directory on it) does not exist.
    /// - Throws: `SystemError` (`realpath`) for any other failure.
    static func resolvedPath(_ path: String) throws(SystemError) -> String? {
        guard let resolved = realpath(path, nil) else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .last("realpath", path)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Creates a new file from a `mkstemp(3)` template ending in `XXXXXX`, close-on-exec from the start, and removes
    /// its name at once: what is written to it lives only as long as the descriptor.
    /// - Returns: The descriptor, open for reading and writing.
    /// - Throws: `SystemError` (`mkostemp`, `unlink`).
    static func anonymousFile(template: String) throws(SystemError) -> Int32 {
        var name = Array(template.utf8CString)
        let fd = name.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { testbed_mkstemp_cloexec($0) } ?? -1
        }
        guard fd >= 0 else { throw .last("mkostemp", template) }
        let path = String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            try unlink(path)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }
}
