import Foundation
import Orchestrator
import Testing

/// The QEMU provider: three VMs boot (KVM or TCG), take a plan with a namespace and a macvlan across their
/// segment, are reset, and go away without a trace.
extension RealKernelTests {
    @Suite(
        .serialized, .timeLimit(.minutes(30)), .enabled(if: ProviderTestSupport.hasQEMU, ProviderTestSupport.qemuSkip))
    final class QEMUProviderTests {
        let lab = ProviderTestSupport.home()
        var home: String { lab.path }
        let topology = LabTestSupport.repository + "/topologies/three-vms/topology.yaml"
        let plan = LabTestSupport.repository + "/topologies/three-vms/smoke.yaml"

        @Test("three VMs: up, the smoke plan passes, reset to zero differences, down leaves nothing")
        func threeVMs() throws {
            let before = try SystemSnapshot.capture()
            let up = try ProviderTestSupport.testbed(
                ["lab", "up", "-t", topology], home: home, timeout: .seconds(1500))
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            let accelerator =
                up.stdoutText.contains("provider: qemu (KVM)") || up.stdoutText.contains("provider: qemu (TCG)")
            #expect(accelerator, "\(up.stdoutText)")
            let status = try ProviderTestSupport.testbed(["lab", "status", "-t", topology], home: home)
            #expect(
                status.stdoutText.contains("provider qemu, KVM") || status.stdoutText.contains("provider qemu, TCG"))
            #expect(
                status.stdoutText.contains("vm3 at 127.0.0.1:2203 in /run/netns/tb-three-vms-q"),
                "\(status.stdoutText)")
            // v3's only NIC is named eth2 by the topology, though its kernel called it eth1.
            let links = try ProviderTestSupport.exec(
                topology, "v3", "ip -br link show dev eth2 | cut -c1-4; hostname", home: home)
            #expect(links == "eth2\nv3\n")
            let run = try ProviderTestSupport.testbed(["run", "-t", topology, plan], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            #expect(
                run.stdoutText.contains("passed — 5 passed, 0 failed, 0 skipped (3 blocks, 2 checks)"),
                "\(run.stdoutText)")
            let reset = try ProviderTestSupport.testbed(["reset", "-t", topology], home: home)
            #expect(reset.status == .exited(0), "\(reset.stdoutText)\(reset.stderrText)")
            #expect(reset.stdoutText.contains("  v3: 1 commands, zero differences\n"), "\(reset.stdoutText)")
            let down = try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            try SystemSnapshot.expectNoLeftovers(since: before)
        }
    }
}
