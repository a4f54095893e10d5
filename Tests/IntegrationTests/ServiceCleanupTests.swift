import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Services are stopped and collected however a run ends: a failed run still brings their logs home, and
/// after the orchestrator is killed outright `lab down` leaves none of them behind.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class ServiceCleanupTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { LabTestSupport.repository + "/topologies/three-nodes/topology.yaml" }

        @Test("a run that fails still stops its services and brings their logs into the run directory")
        func logsOnFailure() throws {
            let plan = try lab.write(
                "fails.yaml",
                """
                steps:
                  - service: {node: a, name: talker, start: "echo to stdout; echo to stderr >&2; exec sleep 600"}
                  - expect: {node: a, run: "cat /run/testbed/services/*/talker/out", stdout_contains: to stdout,
                             retry: {timeout_ms: 10000, interval_ms: 50}}
                  - {node: b, run: "exit 4"}
                """)
            let result = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(result.status == .exited(1), "\(result.stdoutText)\(result.stderrText)")
            #expect(result.stdoutText.contains("the block ended with status 4"), "\(result.stdoutText)")
            #expect(result.stdoutText.contains("talker on a: stopped at the end of the run, status 143"))
            let run = try ProgramUnderTest.newestRun(home: home, topology: "three-nodes")
            #expect(try String(contentsOfFile: run + "/services/a-talker.out", encoding: .utf8) == "to stdout\n")
            #expect(try String(contentsOfFile: run + "/services/a-talker.err", encoding: .utf8) == "to stderr\n")
        }

        /// A service's PID and start time (field 22 of /proc/PID/stat): together they name one process.
        struct Recorded: Equatable, CustomStringConvertible {
            let pid: Int32
            let startTime: String

            static func read(_ pid: Int32) -> Recorded? {
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 19
                else { return nil }
                return Recorded(pid: pid, startTime: String(fields[19]))
            }

            /// Still the same process, alive (not a zombie).
            var isAlive: Bool {
                guard let now = Self.read(pid), now == self,
                    let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
                else { return false }
                return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
            }

            var description: String { "\(pid)@\(startTime)" }
        }

        /// Processes (not zombies) whose network or UTS namespace is one of `inodes` (`net:[4026532…]`).
        static func processes(in inodes: Set<String>) -> [String] {
            var found: [String] = []
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil
            {
                for kind in ["net", "uts"] {
                    let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/\(kind)"))
                    guard let link, inodes.contains(link), let pid = Int32(entry),
                        Recorded.read(pid)?.isAlive == true
                    else { continue }
                    found.append("\(entry) in \(link)")
                }
            }
            return found
        }

        @Test(
            "after SIGKILL of the orchestrator, lab down stops every service: none by its PID, none in the namespaces")
        func orchestratorKilled() throws {
            let before = try SystemSnapshot.capture()
            let up = try LabTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            #expect(up.status == .exited(0), "\(up.stderrText)")
            // Two services, one of which forks a child of its own, then a long block to be killed in.
            let plan = try lab.write(
                "long.yaml",
                """
                steps:
                  - service: {node: a, name: idle, start: "exec sleep 600"}
                  - service: {node: b, name: family, start: "sleep 600 & sleep 600 & wait"}
                  - {node: r, run: "sleep 60"}
                """)
            let child = try LabTestSupport.start(["run", "-t", topology, plan], home: home)
            let pipes = child.takePipes()
            defer { for case let fd? in [pipes.stdin, pipes.stdout, pipes.stderr] { close(fd) } }
            var recorded: [Recorded] = []
            var namespaces: Set<String> = []
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, recorded.count < 2 {
                recorded = []
                for (node, name) in [("a", "idle"), ("b", "family")] {
                    let pid = try LabTestSupport.testbed(
                        ["exec", "-t", topology, node, "--", "cat /run/testbed/services/*/\(name)/pid"], home: home)
                    if let value = Int32(pid.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)),
                        let process = Recorded.read(value)
                    {
                        recorded.append(process)
                    }
                }
                usleep(100_000)
            }
            #expect(recorded.count == 2, "both services started")
            for node in ["a", "r", "b"] {
                for kind in ["net", "uts"] {
                    let link = try LabTestSupport.testbed(
                        ["exec", "-t", topology, node, "--", "readlink /proc/self/ns/\(kind)"], home: home)
                    namespaces.insert(link.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
            child.signal(SIGKILL)
            #expect(child.wait() == .signaled(SIGKILL))
            // The orchestrator's death alone stops nothing: the services (and the family's children) live on.
            #expect(recorded.allSatisfy { $0.isAlive }, "\(recorded)")
            let inside = Self.processes(in: namespaces)
            #expect(inside.count >= 4, "idle, the family's parent and its two children: \(inside)")
            let down = try LabTestSupport.testbed(["lab", "down", "-t", topology], home: home)
            #expect(down.status == .exited(0), "\(down.stdoutText)\(down.stderrText)")
            #expect(recorded.filter { $0.isAlive }.isEmpty, "a recorded service PID survived lab down")
            #expect(Self.processes(in: namespaces) == [], "a process survived in the lab's namespaces")
            try SystemSnapshot.expectNoLeftovers(since: before)
        }
    }
}
