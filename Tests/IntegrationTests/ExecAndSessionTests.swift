import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `testbed exec` keeps argv as given; a run that cannot keep its journal refuses before touching anything.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class ExecAndSessionTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { LabTestSupport.repository + "/topologies/three-nodes/topology.yaml" }

        func exec(_ words: [String]) throws -> ProcessOutput {
            try LabTestSupport.testbed(["exec", "-t", topology, "r", "--"] + words, home: home)
        }

        @Test("several words arrive as argv: exit statuses pass through, nothing is substituted or split")
        func argv() throws {
            let up = try LabTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            #expect(up.status == .exited(0), "\(up.stderrText)")
            #expect(try exec(["sh", "-c", "exit 7"]).status == .exited(7))
            #expect(try exec(["echo", "$(id)"]).stdoutText == "$(id)\n")
            #expect(try exec(["printf", "%s\\n", "a b"]).stdoutText == "a b\n")
            #expect(try exec(["printf", "[%s]", "it's", ""]).stdoutText == "[it's][]")
            // One word is a script for the node's shell.
            let script = try exec(["ip -br link | grep -c eth"])
            #expect(script.status == .exited(0))
            #expect(script.stdoutText == "2\n", "r has eth1 and eth2, so grep counts 2")
            #expect(try exec(["exit 3"]).status == .exited(3))
            // A namespace named '-' is a namespace, not the default one.
            let dash = try LabTestSupport.testbed(
                ["exec", "-t", topology, "--netns", "-", "r", "--", "true"], home: home)
            #expect(dash.status != .exited(0))
            #expect(dash.stderrText.contains("network namespace '-' does not exist"), "\(dash.stderrText)")
        }

        @Test("a run whose journal cannot be created refuses before connecting: exit 2, the lab not brought up")
        func journalUnwritable() throws {
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            let blocked = home + "/not-a-directory"
            try "x".write(toFile: blocked, atomically: true, encoding: .utf8)
            let plan = try lab.write("p.yaml", "steps:\n  - {node: r, run: \"true\"}\n")
            let run = try LabTestSupport.testbed(
                ["run", "-t", topology, plan, "--run-dir", blocked + "/run"], home: home)
            #expect(run.status == .exited(2), "\(run.stdoutText)\(run.stderrText)")
            #expect(run.stderrText.contains("error: cannot create the run journal \(blocked)/run/journal.jsonl"))
            #expect(run.stderrText.contains("hint: give a writable directory with --run-dir"))
            let status = try LabTestSupport.testbed(["lab", "status", "--no-probe"], home: home)
            #expect(status.stdoutText == "no lab is up\n", "\(status.stdoutText)")
            #expect(!FileManager.default.fileExists(atPath: "\(home)/labs/three-nodes"))
        }

        @Test("a run keeps its journal under TESTBED_HOME/runs/TOPOLOGY, beyond lab down")
        func runsKept() throws {
            let plan = try lab.write("ok.yaml", "steps:\n  - {node: r, run: \"true\"}\n")
            let run = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            _ = try LabTestSupport.testbed(["lab", "down", "--all"], home: home)
            let runs = try FileManager.default.contentsOfDirectory(atPath: home + "/runs/three-nodes")
            #expect(runs.count == 1)
            let journal = home + "/runs/three-nodes/\(runs[0])/journal.jsonl"
            #expect(run.stdoutText.contains("journal: \(journal)"))
            #expect(try String(contentsOfFile: journal, encoding: .utf8).contains("\"event\":\"run_finished\""))
        }
    }
}
