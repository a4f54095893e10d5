import Foundation
import Orchestrator
import Testing

extension RealKernelTests {
    /// A lab whose state directory is on overlayfs (as in a container): overlayfs refuses it as the upper layer of
    /// a node's /etc/iproute2, so each node gets a copy of the host's files bound instead — still its own.
    @Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class LabOnOverlayRootTests {
        let lab = LabTestHome()

        @Test("state root on overlayfs: lab up works, rt_tables edits stay in their node, down leaves nothing")
        func overlayRoot() throws {
            let before = try SystemSnapshot.capture()
            let base = lab.path + "/overlay"
            for directory in ["lower", "upper", "work", "merged"] {
                try FileManager.default.createDirectory(
                    atPath: base + "/" + directory, withIntermediateDirectories: true)
            }
            let mount = try LabTestSupport.sh(
                "mount -t overlay testbed-test-root -o lowerdir=\(base)/lower,upperdir=\(base)/upper,"
                    + "workdir=\(base)/work \(base)/merged")
            try #require(mount.status == .exited(0), "\(mount.stderrText)")
            defer { _ = try? LabTestSupport.sh("umount \(base)/merged") }
            let home = base + "/merged/home"
            defer { _ = try? LabTestSupport.testbed(["lab", "down", "--all"], home: home) }
            let threeNodes = LabTestSupport.repository + "/topologies/three-nodes/topology.yaml"
            let up = try LabTestSupport.testbed(["lab", "up", "-t", threeNodes], home: home)
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            let config = home + "/labs/three-nodes/ssh_config"
            let marker = "251 overlay_\(getpid())"
            let first = try LabTestSupport.ssh(
                config, "a",
                "echo '\(marker)' >> /etc/iproute2/rt_tables && ip route add unreachable 10.9.9.0/24 table "
                    + "overlay_\(getpid()) && ip route show table overlay_\(getpid())")
            #expect(first.stdoutText == "unreachable 10.9.9.0/24 \n", "\(first.stdoutText)\(first.stderrText)")
            #expect(try !String(contentsOfFile: "/etc/iproute2/rt_tables", encoding: .utf8).contains(marker))
            let other = try LabTestSupport.ssh(config, "b", "cat /etc/iproute2/rt_tables")
            #expect(other.status == .exited(0) && !other.stdoutText.contains(marker))
            #expect(other.stdoutText.contains("local"), "the host's tables are in the copy: \(other.stdoutText)")
            let down = try LabTestSupport.testbed(["lab", "down", "-t", threeNodes], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: home + "/labs/three-nodes"))
            _ = try LabTestSupport.sh("umount \(base)/merged")
            try SystemSnapshot.expectNoLeftovers(since: before)
        }
    }
}
