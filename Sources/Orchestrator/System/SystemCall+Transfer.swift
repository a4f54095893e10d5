#if canImport(Glibc)
    import Glibc
#endif

/// Whole transfers built on ``SystemCall/read(_:into:)`` and ``SystemCall/write(_:_:from:)``.
extension SystemCall {
    /// Writes all of `bytes`, blocking until done: on a blocking descriptor by the kernel, on a non-blocking one
    /// by waiting for `POLLOUT`. Not interrupted by task cancellation (a report must still be written).
    /// - Throws: `SystemError` (`write`, `poll`); `EPIPE` when the reader is gone.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            if let written = try write(fd, bytes, from: offset) {
                offset += written
            } else {
                _ = try wait(fd, events: Int16(POLLOUT), until: .now + .seconds(3600), cancellable: false)
            }
        }
    }

    /// Writes all of `bytes` to a (possibly non-blocking) descriptor before the deadline.
    /// - Throws: `SystemError` (`write`; `ETIMEDOUT` at the deadline, `ECANCELED` when the task is cancelled).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            if let written = try write(fd, bytes, from: offset) {
                offset += written
                continue
            }
            switch try wait(fd, events: Int16(POLLOUT), until: deadline) {
            case .ready: continue
            case .timedOut: throw SystemError(call: "write", errno: ETIMEDOUT)
            case .cancelled: throw SystemError(call: "write", errno: ECANCELED, detail: "cancelled")
            }
        }
    }

    /// Reads a blocking descriptor until end of file.
    /// - Throws: `SystemError` (`read`).
    static func readToEnd(_ fd: Int32) throws(SystemError) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while let count = try read(fd, into: &buffer), count > 0 {
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// Reads exactly `count` bytes from a blocking descriptor.
    /// - Throws: `SystemError` (`read`; `EIO` when the descriptor ends first).
    static func readExactly(_ fd: Int32, count: Int) throws(SystemError) -> [UInt8] {
        var result: [UInt8] = []
        while result.count < count {
            var buffer = [UInt8](repeating: 0, count: count - result.count)
            guard let got = try read(fd, into: &buffer), got > 0 else {
                throw SystemError(call: "read", errno: EIO, detail: "ended after \(result.count) of \(count) bytes")
            }
            result.append(contentsOf: buffer[0..<got])
        }
        return result
    }

    /// Reads a whole file; `/proc` files report size 0, so this reads until end of file.
    /// - Returns: The bytes, or nil when the file does not exist.
    /// - Throws: `SystemError` (`open`, `read`) for any other failure.
    static func readFile(_ path: String) throws(SystemError) -> [UInt8]? {
        let fd: Int32
        do {
            fd = try open(path, O_RDONLY)
        } catch  where error.errno == ENOENT {
            return nil
        }
        defer { close(fd) }
        do {
            return try readToEnd(fd)
        } catch {
            throw SystemError(call: error.call, errno: error.errno, detail: path)
        }
    }
}
