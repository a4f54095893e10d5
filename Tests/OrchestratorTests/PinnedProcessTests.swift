import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct PinnedProcessTests {
    @Test("a holder whose recorded start time differs from its PID's process now is not signalled")
    func startTimeChanged() throws {
        let child = try ChildProcess(
            executable: "/bin/sleep", arguments: ["60"], options: .init(stdout: .null, stderr: .null))
        defer {
            child.signal(SIGKILL)
            child.wait()
        }
        let startTime = try #require(ProcFS.startTime(of: child.pid))
        let other = LabTeardown.HolderIdentity(role: .switch, pid: child.pid, startTime: startTime + 1, tag: "t")
        let refused = try PinnedProcess.signal(SIGKILL, pid: child.pid, confirming: other.matches)
        guard case .notConfirmed = refused else {
            Issue.record("expected notConfirmed, got \(refused)")
            return
        }
        #expect(child.waitForExit(until: .now + .milliseconds(100)) == nil, "the process was signalled")

        let same = LabTeardown.HolderIdentity(role: .switch, pid: child.pid, startTime: startTime, tag: "t")
        let outcome = try PinnedProcess.signal(SIGKILL, pid: child.pid, confirming: same.matches)
        guard case .signalled(let process) = outcome else {
            Issue.record("expected signalled, got \(outcome)")
            return
        }
        #expect(process.isPinned)
        #expect(PinnedProcess.waitForEnd(of: [process], until: .now + .seconds(10)).isEmpty)
        #expect(child.wait() == .signaled(SIGKILL))
    }

    @Test("a holder recorded only by its tag is recognised by the tag in its environment")
    func tag() throws {
        let child = try ChildProcess(
            executable: "/bin/sleep", arguments: ["60"],
            options: .init(environment: ["TESTBED_LAB=abc"], stdout: .null, stderr: .null))
        defer {
            child.signal(SIGKILL)
            child.wait()
        }
        // posix_spawn returns while the kernel may still be setting up the new program; its arguments and
        // environment show in /proc once that is done.
        try waitUntil { !(ProcFS.read("/proc/\(child.pid)/cmdline") ?? []).isEmpty }
        #expect(
            LabTeardown.HolderIdentity(role: .switch, pid: child.pid, startTime: nil, tag: "abc").matches(child.pid))
        #expect(
            !LabTeardown.HolderIdentity(role: .switch, pid: child.pid, startTime: nil, tag: "ab").matches(child.pid))
    }

    @Test("waiting for many ends returns exactly those still running at the deadline, whatever the order")
    func waitForEndReturnsTheRunningOnes() throws {
        let durations = ["60", "0.2", "0.1", "0.3"]
        let children = try durations.map {
            try ChildProcess(executable: "/bin/sleep", arguments: [$0], options: .init(stdout: .null, stderr: .null))
        }
        defer {
            for child in children {
                child.signal(SIGKILL)
                child.wait()
            }
        }
        let pinned = try children.map { try #require(try PinnedProcess.pin($0.pid)) }
        let start = ContinuousClock.now
        let remaining = PinnedProcess.waitForEnd(of: pinned, until: .now + .seconds(1))
        #expect(remaining.map(\.pid) == [children[0].pid])
        #expect(start.duration(to: .now) >= .milliseconds(900))
        #expect(PinnedProcess.waitForEnd(of: Array(pinned.dropFirst()), until: .now + .seconds(1)).isEmpty)
    }
}
