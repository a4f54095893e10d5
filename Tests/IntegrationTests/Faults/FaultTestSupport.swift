import Foundation
import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers of the fault suite: runs started in the background with their output in files, kill points,
/// and the state of every node of a lab as text, to compare runs.
enum FaultTestSupport {
    /// A `testbed` run in the background; stdout and stderr go to files in the home.
    final class BackgroundRun {
        let child: ChildProcess
        let stdoutPath: String
        let stderrPath: String

        init(_ arguments: [String], home: String, environment: [String] = [], name: String = "run") throws {
            stdoutPath = home + "/\(name).out"
            stderrPath = home + "/\(name).err"
            child = try ChildProcess(
                executable: LabTestSupport.binary, arguments: arguments,
                options: .init(
                    environment: ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_HOME=") }
                        + ["TESTBED_HOME=\(home)"] + environment,
                    stdout: .file(path: stdoutPath, append: false), stderr: .file(path: stderrPath, append: false)))
        }

        var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Waits (at most `seconds`) until stderr or stdout contains `text`, or a file exists at `path`.
        @discardableResult
        func waitFor(text: String? = nil, file path: String? = nil, seconds: Double = 60) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if let text, stderr.contains(text) || stdout.contains(text) { return true }
                if let path, FileManager.default.fileExists(atPath: path) { return true }
                if child.pollExit() != nil { return false }
                usleep(10_000)
            }
            return false
        }

        func kill() -> ExitStatus {
            child.signal(SIGKILL)
            return child.wait()
        }

        func wait(seconds: Double = 300) -> ExitStatus? { child.waitForExit(until: .now + .seconds(seconds)) }
    }

    /// Every node's IPv4 addresses, routes of every table (IPv6 link-locals appear on their own time), rules, iptables (counters and comments dropped) and
    /// the namespaces, as one text: equal texts mean equal end states.
    static func snapshot(topology: String, nodes: [String], home: String) throws -> String {
        let script =
            "ip -4 -br address | sed 's/@if[0-9]*//'; ip -4 route show table all; ip -4 rule; ip netns list; "
            + "iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'; "
            + "sysctl -n net.ipv4.ip_forward"
        var text = ""
        for node in nodes {
            let output = try LabTestSupport.testbed(["exec", "-t", topology, node, "--", script], home: home)
            text += "== \(node) (\(output.status))\n" + output.stdoutText
        }
        return text
    }

    /// Waits until no process has `pid` (it ended and was reaped by its parent).
    static func waitGone(_ pid: Int32, seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            usleep(20_000)
        }
        return false
    }

    /// The lines of two snapshots that differ, for a failure message.
    static func difference(_ first: String, _ second: String) -> String {
        let one = first.split(separator: "\n")
        let two = second.split(separator: "\n")
        let only =
            one.filter { !two.contains($0) }.map { "- \($0)" } + two.filter { !one.contains($0) }.map { "+ \($0)" }
        return only.prefix(30).joined(separator: "\n")
    }
}
