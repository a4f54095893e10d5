import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct LabLockTests {
    @Test("a lab locked by another process is refused at once without waiting; the lock file goes with the lock")
    func busyWithoutWaiting() throws {
        let scratch = LabTestDirectory()
        let paths = LabPaths(name: "x", root: scratch.path)
        try FileManager.default.createDirectory(atPath: paths.labs, withIntermediateDirectories: true)
        let holder = try ChildProcess(
            executable: "/usr/bin/flock",
            arguments: ["--no-fork", paths.lock, "/bin/sh", "-c", "echo held; exec sleep 60"],
            options: .init(stdout: .pipe, stderr: .null))
        defer {
            holder.signal(SIGKILL)
            holder.wait()
        }
        #expect(try readLine(holder.stdoutFD ?? -1) == "held")
        #expect {
            try LabLock.withLock(paths: paths, wait: false) { () throws(LabError) in }
        } throws: { error in
            guard let error = error as? LabError else { return false }
            return error.code == .busy
                && error.message == "lab 'x' is busy: another testbed is bringing it up or taking it down"
        }
        holder.signal(SIGKILL)
        holder.wait()
        let ran = try LabLock.withLock(paths: paths, wait: false) { () throws(LabError) in
            FileManager.default.fileExists(atPath: paths.lock)
        }
        #expect(ran)
        #expect(!FileManager.default.fileExists(atPath: paths.lock))
    }

    @Test("nested use for the same lab does not lock again; the lock file stays while the lab has a journal")
    func nested() throws {
        let scratch = LabTestDirectory()
        let paths = LabPaths(name: "x", root: scratch.path)
        let inner = try LabLock.withLock(paths: paths) { () throws(LabError) in
            try LabLock.withLock(paths: paths, wait: false) { () throws(LabError) in LabLock.isHeld(paths) }
        }
        #expect(inner)
        #expect(!LabLock.isHeld(paths))
        _ = try scratch.write("labs/x.journal", "")
        try LabLock.withLock(paths: paths) { () throws(LabError) in }
        #expect(FileManager.default.fileExists(atPath: paths.lock))
    }

    @Test("a waiter whose lock file was removed while it waited locks the file the path names now")
    func removedWhileWaiting() throws {
        let scratch = LabTestDirectory()
        let paths = LabPaths(name: "x", root: scratch.path)
        try FileManager.default.createDirectory(atPath: paths.labs, withIntermediateDirectories: true)
        let first = try SystemCall.open(paths.lock, O_RDWR | O_CREAT, 0o600)
        #expect(try SystemCall.lockExclusive(first, wait: false))
        let oldInode = UInt64(try SystemCall.status(of: first).st_ino)

        let bodyRan = Mutex(false)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? LabLock.withLock(paths: paths) { () throws(LabError) in bodyRan.withLock { $0 = true } }
            finished.signal()
        }
        try waitUntil { LockTable.hasWaiter(onInode: oldInode) }
        // What `lab down` does while holding the lock, and then a third process locking the new file.
        try SystemCall.unlink(paths.lock)
        let second = try SystemCall.open(paths.lock, O_RDWR | O_CREAT, 0o600)
        #expect(try SystemCall.lockExclusive(second, wait: false))
        let newInode = UInt64(try SystemCall.status(of: second).st_ino)
        SystemCall.close(first)  // the waiter now gets the old file, which has no name any more
        try waitUntil { LockTable.hasWaiter(onInode: newInode) || bodyRan.withLock { $0 } }
        #expect(!bodyRan.withLock { $0 }, "the waiter ran under a lock on a file nobody else can see")
        SystemCall.close(second)
        finished.wait()
        #expect(bodyRan.withLock { $0 })
    }

    private func readLine(_ fd: Int32) throws -> String {
        var line: [UInt8] = []
        var byte: [UInt8] = [0]
        while let count = try SystemCall.read(fd, into: &byte), count == 1, byte[0] != UInt8(ascii: "\n") {
            line.append(byte[0])
        }
        return String(decoding: line, as: UTF8.self)
    }
}

/// Waits (up to 30 s, so a broken build cannot hang the suite) until `condition` holds.
func waitUntil(_ condition: () throws -> Bool) throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout() }
        usleep(1_000)
    }
}

struct WaitTimeout: Error {}

/// The kernel's table of file locks, `/proc/locks`.
enum LockTable {
    /// Whether some process waits for a lock on the file with `inode` (a `->` line).
    static func hasWaiter(onInode inode: UInt64) -> Bool {
        let text = String(decoding: ProcFS.read("/proc/locks") ?? [], as: UTF8.self)
        return text.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.contains("->") && fields.contains { $0.hasSuffix(":\(inode)") }
        }
    }
}
