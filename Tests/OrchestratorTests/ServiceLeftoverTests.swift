import Foundation
import PlanModel
import Testing

@testable import Orchestrator

/// The script preflight and reset run to stop services an earlier run left behind, on real processes of this
/// machine under a private service root.
@Suite("leftover services are stopped by recorded PID") struct ServiceLeftoverTests {
    func bash(_ script: String) throws -> ProcessOutput {
        try ProcessRunner.run("/bin/bash", ["-c", script], timeout: .seconds(30))
    }

    @Test("a service whose run ended without stopping it is stopped; a PID in a forged directory is left alone")
    func stopsOnlyRealServices() throws {
        let root = FileManager.default.temporaryDirectory.path + "/tb-leftovers-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let step = ServiceStep(
            node: "a", name: "idle", action: .start(command: "exec sleep 300", environment: [:], ready: nil))
        let start = ServiceScript.start(step, command: "exec sleep 300", environment: [:], run: "run-1")
            .replacingOccurrences(of: ServiceScript.root, with: root)
        let pid = try bash(start).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let forged = try bash(
            """
            mkdir -p \(root)/run-2/fake
            setsid sleep 300 </dev/null >/dev/null 2>&1 &
            echo $! >\(root)/run-2/fake/pid && echo $!
            """
        ).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? bash("kill \(forged) 2>/dev/null") }
        try #require(!pid.isEmpty && !forged.isEmpty)

        let stopped = try bash(ServiceScript.stopLeftovers(run: nil, root: root))
        #expect(stopped.stdoutText == "stopped run-1/idle \(pid)\n", "\(stopped.stderrText)")
        #expect(try bash("kill -0 \(pid) 2>/dev/null").status != .exited(0), "the service is gone")
        #expect(try bash("kill -0 \(forged)").status == .exited(0), "the forged PID's process still runs")
        // Its wrapper recorded how the program ended, as after any stop.
        #expect(try String(contentsOfFile: root + "/run-1/idle/status", encoding: .utf8) == "143\n")
        #expect(try bash(ServiceScript.stopLeftovers(run: nil, root: root)).stdoutText == "")
    }
}
