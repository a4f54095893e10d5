import Foundation
import Orchestrator
import Testing

/// A lab on the user's own LXD cluster (here a 2-member `Scripts/lxd-sandbox` cluster holding a container and a
/// network of "the user's"): testbed, only its client, places the eight systems on both members by name, number
/// and round-robin, joins their segment by VXLAN across the members, reaches each container through a proxy
/// device on its member's address, and `lab down` leaves both members as it found them.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(20)), .enabled(if: ProviderTestSupport.hasLXD, ProviderTestSupport.lxdSkip))
    final class LXDEndpointClusterTests {
        let lab = ProviderTestSupport.home()
        var home: String { lab.path }
        let demo = LabTestSupport.repository + "/topologies/netsukuku-poc/demo.yaml"

        /// The eight systems on the endpoint, alfa on member `m2` by name, rho on member 1 by number.
        func eight(endpoint: String, alfaOn member: String = "m2") throws -> String {
            let text = try String(
                contentsOfFile: LabTestSupport.repository + "/topologies/netsukuku-poc/topology-lxd.yaml",
                encoding: .utf8
            )
            .replacingOccurrences(of: "name: netsukuku-lxd\n", with: "name: ucl\n")
            .replacingOccurrences(of: "provider: lxd\n", with: "provider: {kind: lxd, endpoint: \(endpoint)}\n")
            .replacingOccurrences(of: "  alfa:\n", with: "  alfa:\n    member: \(member)\n")
            .replacingOccurrences(of: "  rho:\n", with: "  rho:\n    member: 1\n")
            return try lab.write("ucl.yaml", text)
        }

        @Test(
            "the user's 2-member cluster: placement, the demo across members, refusals, and down leaves both as before")
        func userCluster() throws {
            let before = try SystemSnapshot.capture()
            let cgroupsBefore = CgroupListing.capture()
            let daemon = try UserLXD(home: home, members: 2)
            try daemon.lxc(["init", "testbed-debian12", "userc", "--target", "m2"])
            for member in ["m1", "m2"] { try daemon.lxc(["network", "create", "usernet", "--target", member]) }
            try daemon.lxc(["network", "create", "usernet", "ipv4.address=none", "ipv6.address=none"])
            let inventory = try daemon.clusterInventory()
            let socket = "socket: \(daemon.socket), netns: \(UserLXD.namespace)"

            let untunnelled = try ProviderTestSupport.testbed(
                ["lab", "up", "-t", try eight(endpoint: "{\(socket)}")], home: home)
            #expect(untunnelled.status != .exited(0))
            #expect(
                untunnelled.stderrText.contains(
                    "the LXD cluster behind unix://\(daemon.socket) cannot take lab 'ucl': it is a cluster, and the "
                        + "interface for the segments' VXLAN tunnels between its members is unknown"),
                "\(untunnelled.stderrText)")
            #expect(untunnelled.stderrText.contains("set provider.endpoint.tunnel_interface"))
            let misplaced = try eight(endpoint: "{\(socket), tunnel_interface: lan0}", alfaOn: "m7")
            let refused = try ProviderTestSupport.testbed(["lab", "up", "-t", misplaced], home: home)
            #expect(refused.status != .exited(0))
            #expect(
                refused.stderrText.contains(
                    "\(misplaced):16:13: error: node 'alfa' is placed on member 'm7', which the cluster lacks"),
                "\(refused.stderrText)")
            #expect(try daemon.clusterInventory() == inventory)

            let topology = try eight(endpoint: "{\(socket), tunnel_interface: lan0}")
            let up = try ProviderTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            #expect(
                up.stdoutText.contains(
                    "placement unix://\(daemon.socket): m1: gamma, epsilon, lambda, rho; m2: alfa, beta, delta, mu\n"),
                "\(up.stdoutText)")
            let status = try ProviderTestSupport.testbed(["lab", "status", "--no-probe"], home: home)
            #expect(status.stdoutText.contains("tb-ucl-beta on m2 at 169.254.200.2:"), "\(status.stdoutText)")
            let run = try ProviderTestSupport.testbed(["run", "-t", topology, demo], home: home)
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            #expect(run.stdoutText.contains("passed — 24 passed, 0 failed, 0 skipped (17 blocks, 7 checks)"))
            // gamma (m1) hears beta (m2) over the lab's VXLAN segment.
            let hear = try ProviderTestSupport.exec(
                topology, "gamma", "ping -c 1 -W 2 169.254.96.141 >/dev/null && echo ok", home: home)
            #expect(hear == "ok\n")
            let during = try daemon.clusterInventory()
            #expect(during.contains("container tb-ucl-alfa,m2") && during.contains("container tb-ucl-rho,m1"))

            let down = try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0) && down.stderrText == "", "\(down.stderrText)")
            #expect(try daemon.clusterInventory() == inventory)
            daemon.down()
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(CgroupListing.capture().subtracting(cgroupsBefore) == [])
        }
    }
}
