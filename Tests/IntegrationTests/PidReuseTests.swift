import Foundation
import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

extension RealKernelTests {
    /// Signals go through pidfds: a PID that changes hands between the identity check and the signal is safe.
    @Suite(.serialized, .enabled(if: LabTestSupport.isRoot, "needs root to steer PID allocation (ns_last_pid)"))
    struct PidReuseTests {
        @Test("a PID reused between the identity check and the signal: the newcomer is not signalled")
        func reusedBetweenCheckAndSignal() throws {
            let target = try sleeper()
            let pid = target.pid
            var newcomer: ChildProcess?
            let outcome = try PinnedProcess.signal(SIGKILL, pid: pid) { _ in
                // The identity was right; now, before the signal, the process ends and its PID goes to another.
                target.signal(SIGKILL)
                target.wait()
                newcomer = Self.spawnSleeper(withPID: pid)
                return true
            }
            let reused = try #require(newcomer, "could not make the kernel hand PID \(pid) out again")
            defer {
                reused.signal(SIGKILL)
                reused.wait()
            }
            guard case .gone = outcome else {
                Issue.record("expected gone, got \(outcome)")
                return
            }
            #expect(
                reused.waitForExit(until: .now + .milliseconds(100)) == nil, "the process now at PID \(pid) was hit")
        }

        private func sleeper() throws -> ChildProcess {
            try ChildProcess(executable: "/bin/sleep", arguments: ["60"], options: .init(stdout: .null, stderr: .null))
        }

        /// Spawns `sleep` with exactly `pid`, by setting the last PID handed out (`ns_last_pid`) just below it.
        /// Other processes on the machine may take the PID first, so a few attempts are made.
        static func spawnSleeper(withPID pid: Int32) -> ChildProcess? {
            for _ in 0..<50 {
                guard
                    (try? "\(pid - 1)".write(toFile: "/proc/sys/kernel/ns_last_pid", atomically: false, encoding: .utf8))
                        != nil,
                    let child = try? ChildProcess(
                        executable: "/bin/sleep", arguments: ["60"], options: .init(stdout: .null, stderr: .null))
                else { return nil }
                if child.pid == pid { return child }
                child.signal(SIGKILL)
                child.wait()
            }
            return nil
        }
    }
}
