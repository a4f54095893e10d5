import Foundation
import Glibc
import Testing

@testable import Orchestrator

/// `-o`, `--html` and `--junit` name files the user owns: only regular files are replaced (atomically); a
/// FIFO or a device (`/dev/null`) is written through, a symbolic link keeps pointing where it did.
@Suite struct OutputFileTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "output-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func type(_ path: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    }

    @Test("a FIFO stays a FIFO and its reader gets the text (an atomic rename would have replaced it)")
    func fifo() throws {
        let fifo = directory + "/out"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try OutputFile.write("plan: yes\n", to: fifo)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self) == "plan: yes\n")
        var status = stat()
        #expect(stat(fifo, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO)
    }

    @Test("a symbolic link is followed: the link stays, its target holds the text")
    func symbolicLink() throws {
        let target = directory + "/target.yaml"
        let link = directory + "/link.yaml"
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try OutputFile.write("new\n", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
    }

    @Test("a regular file and a new path are written whole")
    func regular() throws {
        let path = directory + "/plan.yaml"
        try OutputFile.write("a long first text\n", to: path)
        try OutputFile.write("short\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short\n")
        #expect(try type(path) == .typeRegular)
    }
}
