import Foundation
import Orchestrator
import Testing

/// The fault suite: a node's host key changed between two runs (its recorded key in the lab's known_hosts replaced
/// by another one): the second run is refused before any unit, showing the fingerprint recorded and the one the
/// node presented.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class HostKeyChangedRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }

        /// The SHA256 fingerprint ssh-keygen gives a known_hosts line.
        func fingerprint(_ line: String) throws -> String {
            let file = home + "/line-\(UUID().uuidString)"
            try (line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let output = try LabTestSupport.sh("ssh-keygen -l -E sha256 -f '\(file)'").stdoutText
            return String(output.split(separator: " ").dropFirst().first ?? "")
        }

        @Test("a host key changed between two runs: the second run is refused, showing both SHA256 fingerprints")
        func changedBetweenRuns() throws {
            let plan = try lab.write("one.yaml", "steps:\n  - {id: one, node: alfa, run: \"true\"}\n")
            let first = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            try #require(first.status == .exited(0), "\(first.stdoutText)\(first.stderrText)")
            let knownHosts = home + "/labs/netsukuku-poc/ssh/known_hosts"
            var lines = try String(contentsOfFile: knownHosts, encoding: .utf8).split(separator: "\n").map(String.init)
            let index = try #require(lines.firstIndex { $0.hasPrefix("tb-netsukuku-poc-alfa ") })
            let presented = try fingerprint(lines[index])
            let other = home + "/other"
            _ = try LabTestSupport.sh("ssh-keygen -q -t ed25519 -N '' -f '\(other)'")
            let otherKey = try String(contentsOfFile: other + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
            lines[index] = "tb-netsukuku-poc-alfa " + otherKey.joined(separator: " ")
            try (lines.joined(separator: "\n") + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)
            let recorded = try fingerprint(lines[index])
            try #require(recorded.hasPrefix("SHA256:") && presented.hasPrefix("SHA256:") && recorded != presented)
            let second = try LabTestSupport.testbed(["run", "-t", topology, plan], home: home)
            print("host key changed: exit \(second.status); \(second.stderrText)")
            #expect(second.status == .exited(3), "\(second.stdoutText)\(second.stderrText)")
            let said = second.stderrText.split(separator: "\n").map(String.init)
            #expect(said.first?.hasPrefix("error: node 'alfa' (proxy command ") == true, "\(second.stderrText)")
            #expect(
                said.first?.hasSuffix(
                    "): the host key of 'tb-netsukuku-poc-alfa' has changed: the server offered ssh-ed25519 key "
                        + "\(presented), but \(knownHosts):\(index + 1) records \(recorded)") == true,
                "\(second.stderrText)")
            #expect(
                said.dropFirst().first
                    == "hint: if the node's host key was changed on purpose (e.g. the lab was rebuilt), remove the old "
                    + "entry with `ssh-keygen -R 'tb-netsukuku-poc-alfa' -f \(knownHosts)` and connect again; otherwise "
                    + "someone may be intercepting the connection", "\(second.stderrText)")
            #expect(!second.stdoutText.contains("passed"), "no unit may run: \(second.stdoutText)")
        }
    }
}
