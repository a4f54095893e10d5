import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SystemCallTests {
    @Test("writeAll delivers more than a pipe holds through a non-blocking write end")
    func writeAllNonBlocking() throws {
        let (reader, writer) = try SystemCall.pipe()
        defer { SystemCall.close(reader) }
        try SystemCall.setNonBlocking(writer)
        let bytes = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        // A thread of its own (not a task): the write below blocks this one until the reader drains the pipe.
        let collected = Mutex<[UInt8]>([])
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let bytes = (try? SystemCall.readToEnd(reader)) ?? []
            collected.withLock { $0 = bytes }
            done.signal()
        }
        try SystemCall.writeAll(writer, bytes)
        SystemCall.close(writer)
        done.wait()
        #expect(collected.withLock { $0 } == bytes)
    }

    @Test("a write to a pipe nobody reads is EPIPE, not a SIGPIPE that kills the process")
    func brokenPipe() throws {
        let (reader, writer) = try SystemCall.pipe()
        defer { SystemCall.close(writer) }
        SystemCall.close(reader)
        #expect {
            try SystemCall.writeAll(writer, [1, 2, 3])
        } throws: { error in
            (error as? SystemError).map { $0.call == "write" && $0.errno == EPIPE } ?? false
        }
    }

    @Test("wait: ready when data is there, timed out when not, cancelled in a cancelled task")
    func waitOutcomes() async throws {
        let (reader, writer) = try SystemCall.pipe()
        defer {
            SystemCall.close(reader)
            SystemCall.close(writer)
        }
        #expect(try SystemCall.wait(reader, events: Int16(POLLIN), until: .now + .milliseconds(20)) == .timedOut)
        try SystemCall.writeAll(writer, [1])
        #expect(try SystemCall.wait(reader, events: Int16(POLLIN), until: .now + .seconds(5)) == .ready)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try SystemCall.wait(writer, events: 0, until: .now + .seconds(30))
        }
        #expect(try await task.value == .cancelled)
    }

    @Test("durations as seconds and milliseconds are exact for whole milliseconds; poll timeouts round up")
    func durations() {
        #expect(Duration.milliseconds(300).milliseconds == 300)
        #expect(Duration.milliseconds(1500).seconds == 1.5)
        #expect(Duration.microseconds(999).milliseconds == 0.999)
        #expect(SystemCall.timeoutMilliseconds(.microseconds(1)) == 1)
        #expect(SystemCall.timeoutMilliseconds(.microseconds(1500)) == 2)
        #expect(SystemCall.timeoutMilliseconds(.seconds(1)) == 1000)
    }
}
