import Foundation
import Orchestrator
import Testing

/// The LXD provider on its own: a plan that would cut the management path is refused before anything runs;
/// a two-member cluster spreads the eight systems, passes the demo across members and leaves both empty.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(30)), .enabled(if: ProviderTestSupport.hasLXD, ProviderTestSupport.lxdSkip))
    final class LXDProviderTests {
        let lab = ProviderTestSupport.home()
        var home: String { lab.path }
        let providerTopology = LabTestSupport.repository + "/topologies/netsukuku-poc/topology-lxd.yaml"
        let demo = LabTestSupport.repository + "/topologies/netsukuku-poc/demo.yaml"

        /// The repository's LXD topology under another name and provider line.
        func variant(_ name: String, provider: String) throws -> String {
            let text = try String(contentsOfFile: providerTopology, encoding: .utf8)
                .replacingOccurrences(of: "name: netsukuku-lxd\n", with: "name: \(name)\n")
                .replacingOccurrences(of: "provider: lxd\n", with: "provider: \(provider)\n")
            return try lab.write(name + ".yaml", text)
        }

        @Test("with the management network in 10.0.0.0/24 the demo is refused at its unreachable routes, nothing run")
        func managementCutRefused() throws {
            let before = try SystemSnapshot.capture()
            let topology = try variant("mgmt-cut", provider: "{kind: lxd, management: 10.0.0.1/24}")
            let run = try ProviderTestSupport.testbed(["run", "-t", topology, demo], home: home)
            #expect(run.status == .exited(2), "\(run.stdoutText)\(run.stderrText)")
            #expect(
                run.stderrText.contains(
                    "\(demo):29:11: error: on node 'gamma' `ip route add unreachable 10.0.0.0/29 table ntk` would take testbed's SSH path away: the controller's address 10.0.0.1 becomes unreachable (unreachable 10.0.0.0/29, table ntk (251), rule 32765)"
                ), "\(run.stderrText)")
            #expect(run.stderrText.hasSuffix("4 errors\n"), "\(run.stderrText)")
            // Refused before the first block: gamma's first command never ran.
            let lo = try ProviderTestSupport.exec(topology, "gamma", "ip -4 -o address show dev lo", home: home)
            #expect(!lo.contains("10.0.0.32"), "\(lo)")
            let forced = try ProviderTestSupport.testbed(
                [
                    "run", "--allow-management-change", "--block-timeout", "20", "-t", topology, demo, "--to",
                    "start-gamma",
                ],
                home: home)
            // Let through, the same block cuts gamma off mid-run: said as a lost management connection.
            #expect(forced.status == .exited(1))
            #expect(
                (forced.stdoutText + forced.stderrText).contains(
                    "lost the management connection to node 'gamma': its SSH session stopped answering"),
                "\(forced.stdoutText)\(forced.stderrText)")
            #expect(try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home).status == .exited(0))
            try SystemSnapshot.expectNoLeftovers(since: before)
        }

        @Test("a two-member cluster: the eight systems on both members, the demo passes across them, down empties both")
        func twoMemberCluster() throws {
            let before = try SystemSnapshot.capture()
            let topology = try variant("cluster2", provider: "{kind: lxd, members: 2}")
            let up = try ProviderTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            #expect(
                up.stdoutText.contains(
                    "  provider: lxd, placement m1: alfa, gamma, epsilon, lambda; m2: beta, delta, mu, rho\n"),
                "\(up.stdoutText)")
            let status = try ProviderTestSupport.testbed(["lab", "status", "-t", topology], home: home)
            #expect(
                status.stdoutText.contains("tb-cluster2-beta on m2 at 169.254.201.11:22 in /run/netns/tb-cluster2-m2"))
            let run = try ProviderTestSupport.testbed(["run", "-t", topology, demo], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            #expect(run.stdoutText.contains("passed — 24 passed, 0 failed, 0 skipped (17 blocks, 7 checks)"))
            // gamma (m1) hears beta (m2) over the VXLAN segment.
            let hear = try ProviderTestSupport.exec(
                topology, "gamma", "ping -c 1 -W 2 169.254.96.141 >/dev/null && echo ok", home: home)
            #expect(hear == "ok\n")
            let down = try ProviderTestSupport.testbed(["lab", "down", "-t", topology], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(ProviderTestSupport.cgroups(lab: "cluster2") == [])
            #expect(!FileManager.default.fileExists(atPath: LabPaths(name: "cluster2", root: home).directory))
        }
    }
}
