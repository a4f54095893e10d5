import Foundation
import Orchestrator
import Testing

/// The real programs the drive tests start on lab nodes: qspnclient (built once into the cache by
/// `Scripts/build-sut`) and BIRD 2 (`Scripts/install-deps --ospf`). Missing ones fail the test that needs them,
/// with what to do — they are never skipped in silence.
enum ProgramUnderTest {
    /// The qspnclient binary: built when the cache has none (about 2–2.5 minutes, once per version).
    static func qspnclient() throws -> String {
        let output = try ProcessRunner.run(
            LabTestSupport.repository + "/Scripts/build-sut", [], timeout: .seconds(1200),
            environment: environment(without: []))
        guard output.status == .exited(0), let path = output.stdoutText.split(separator: "\n").last else {
            Issue.record("Scripts/build-sut failed: \(output.stderrText.suffix(2000))")
            throw CancellationError()
        }
        return String(path)
    }

    /// Fails the test when BIRD 2 is not installed.
    static func requireBird() throws {
        guard ProcessEnvironment.which("bird") != nil, ProcessEnvironment.which("birdc") != nil else {
            Issue.record("BIRD 2 is not installed: run Scripts/install-deps --ospf (Scripts/test does)")
            throw CancellationError()
        }
    }

    /// This process's environment without the named variables.
    static func environment(without names: [String]) -> [String] {
        ProcessEnvironment.current.filter { entry in !names.contains { entry.hasPrefix($0 + "=") } }
    }

    /// Runs the CLI with `TESTBED_HOME=home`, without the named environment variables.
    static func testbed(
        _ arguments: [String], home: String, without names: [String] = [], timeout: Duration = .seconds(900)
    )
        throws -> ProcessOutput
    {
        try ProcessRunner.run(
            LabTestSupport.binary, arguments, timeout: timeout,
            environment: environment(without: names + ["TESTBED_HOME"]) + ["TESTBED_HOME=\(home)"])
    }

    /// The newest run directory of a topology in `home`.
    static func newestRun(home: String, topology: String) throws -> String {
        let runs = home + "/runs/" + topology
        let newest = try FileManager.default.contentsOfDirectory(atPath: runs).sorted().last ?? ""
        return runs + "/" + newest
    }

    /// The results of a run's journal, as JSON objects.
    static func results(inRun directory: String) throws -> [[String: Any]] {
        let journal = try String(contentsOfFile: directory + "/journal.jsonl", encoding: .utf8)
        return journal.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["result"] as? [String: Any]
        }
    }
}
