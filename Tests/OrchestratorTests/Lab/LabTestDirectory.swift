import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under /tmp for one test, removed when the test ends.
final class LabTestDirectory {
    let path: String

    init() {
        var template = Array("/tmp/testbed-unit-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        path = made ?? "/tmp/testbed-unit-fallback-\(getpid())"
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func makeDirectory(_ relative: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        try text.write(toFile: full, atomically: false, encoding: .utf8)
        return full
    }
}
