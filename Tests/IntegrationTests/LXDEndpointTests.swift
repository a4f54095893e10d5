import Foundation
import Orchestrator
import Testing

/// A lab on an LXD daemon the user runs (here one started by `Scripts/lxd-sandbox` beforehand, with objects of
/// "the user's" on it): testbed is only its client, makes its own tagged objects, refuses what it cannot verify,
/// and `lab down` leaves the daemon exactly as it found it.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(20)), .enabled(if: ProviderTestSupport.hasLXD, ProviderTestSupport.lxdSkip))
    final class LXDEndpointTests {
        let lab = ProviderTestSupport.home()
        var home: String { lab.path }

        func pair(_ name: String, endpoint: String) throws -> String {
            try lab.write(
                name + ".yaml",
                """
                name: \(name)
                provider:
                  kind: lxd
                  endpoint: \(endpoint)
                nodes:
                  a: {interfaces: {eth1: {mac: "02:00:00:00:0b:01", addresses: [169.254.41.1/24]}}}
                  b: {interfaces: {eth1: {mac: "02:00:00:00:0b:02", addresses: [169.254.41.2/24]}}}
                links:
                  - endpoints: ["a:eth1", "b:eth1"]
                """)
        }

        @Test("over the user's unix socket: only the lab's containers and networks come and go, the user's stay")
        func unixSocket() throws {
            let before = try SystemSnapshot.capture()
            let cgroupsBefore = CgroupListing.capture()
            let daemon = try UserLXD(home: home)
            try daemon.lxc(["init", "testbed-debian12", "userc"])
            try daemon.lxc(["network", "create", "usernet", "ipv4.address=none", "ipv6.address=none"])
            let inventory = try daemon.inventory()
            let topology = try pair("ep", endpoint: "{socket: \(daemon.socket), netns: \(UserLXD.namespace)}")
            let up = try ProviderTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            let ping = try ProviderTestSupport.exec(
                topology, "a", "ping -c 1 -W 2 169.254.41.2 >/dev/null && hostname", home: home)
            #expect(ping == "a\n")
            let status = try ProviderTestSupport.testbed(["lab", "status", "--no-probe"], home: home)
            #expect(status.stdoutText.contains("placement unix://\(daemon.socket): a, b"), "\(status.stdoutText)")
            let during = try daemon.inventory()
            #expect(Set(during).subtracting(inventory).count == 4, "\(during)")
            #expect(during.contains("container tb-ep-a") && during.contains("container tb-ep-b"))
            let down = try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0) && down.stderrText == "", "\(down.stderrText)")
            // The user's container, network and image (the one the lab used) are as before; the lab's are gone.
            #expect(try daemon.inventory() == inventory)
            daemon.down()
            try SystemSnapshot.expectNoLeftovers(since: before)
            // The sandbox's own up/down cycle (its daemon started containers) leaves no cgroup of liblxc's.
            #expect(CgroupListing.capture().subtracting(cgroupsBefore) == [])
        }

        @Test("over https: a wrong server certificate and a taken name are refused, the right one works")
        func https() throws {
            let daemon = try UserLXD(home: home)
            try daemon.lxc(["config", "set", "core.https_address", "127.0.0.1:8443"])
            for name in ["client", "stranger"] {
                try daemon.exec([
                    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1", "-nodes",
                    "-keyout", "\(home)/\(name).key", "-out", "\(home)/\(name).crt", "-days", "2", "-subj",
                    "/CN=\(name)",
                ])
            }
            try daemon.lxc(["config", "trust", "add", "\(home)/client.crt"])
            // The image is not on the daemon: testbed imports it, and removes it again.
            try daemon.lxc(["image", "delete", "testbed-debian12"])
            try daemon.lxc(["init", "--empty", "tb-eps-a"])
            let inventory = try daemon.inventory()
            func endpoint(server: String) -> String {
                "{url: \"https://127.0.0.1:8443\", client_certificate: \(home)/client.crt, client_key: \(home)/client.key, "
                    + "server_certificate: \(server), netns: \(UserLXD.namespace)}"
            }
            let wrong = try pair("eps", endpoint: endpoint(server: "\(home)/stranger.crt"))
            let refused = try ProviderTestSupport.testbed(["lab", "up", "-t", wrong], home: home)
            #expect(refused.status != .exited(0))
            #expect(
                refused.stderrText.contains(
                    "the LXD endpoint https://127.0.0.1:8443 does not answer: Error: Get \"https://127.0.0.1:8443/1.0\": "
                        + "x509: certificate signed by unknown authority"), "\(refused.stderrText)")
            let right = try pair("eps", endpoint: endpoint(server: daemon.serverCertificate))
            let taken = try ProviderTestSupport.testbed(["lab", "up", "-t", right], home: home)
            #expect(taken.status != .exited(0))
            #expect(
                taken.stderrText.contains(
                    "the LXD endpoint https://127.0.0.1:8443 cannot take lab 'eps': it has a container tb-eps-a already"
                ),
                "\(taken.stderrText)")
            #expect(try daemon.inventory() == inventory)
            try daemon.lxc(["delete", "tb-eps-a"])
            let up = try ProviderTestSupport.testbed(["lab", "up", "-t", right], home: home)
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            let ping = try ProviderTestSupport.exec(
                right, "b", "ping -c 1 -W 2 169.254.41.1 >/dev/null && hostname", home: home)
            #expect(ping == "b\n")
            #expect(try daemon.inventory().filter { $0.hasPrefix("image ") }.count == 1)
            let down = try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0) && down.stderrText == "", "\(down.stderrText)")
            #expect(try daemon.inventory() == inventory.filter { $0 != "container tb-eps-a" })
            daemon.down()
        }

        @Test(
            "over https without a server certificate: refused unless trust_on_first_use, which pins what it saw; reach: proxy"
        )
        func trustOnFirstUse() throws {
            let daemon = try UserLXD(home: home)
            try daemon.lxc(["config", "set", "core.https_address", "127.0.0.1:8443"])
            try daemon.exec([
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1", "-nodes",
                "-keyout", "\(home)/client.key", "-out", "\(home)/client.crt", "-days", "2", "-subj", "/CN=client",
            ])
            try daemon.lxc(["config", "trust", "add", "\(home)/client.crt"])
            let endpoint =
                "{url: \"https://127.0.0.1:8443\", client_certificate: \(home)/client.crt, client_key: \(home)/client.key, "
                + "netns: \(UserLXD.namespace)"
            let unpinned = try pair("tofu", endpoint: endpoint + "}")
            let refused = try ProviderTestSupport.testbed(["lab", "up", "-t", unpinned], home: home)
            #expect(refused.status == .exited(2))
            #expect(
                refused.stderrText.contains("error: the https endpoint has no 'server_certificate'"),
                "\(refused.stderrText)")
            let inventory = try daemon.inventory()
            // Reached as a daemon of another machine would be: through a proxy device on its own address.
            let trusting = try pair("tofu", endpoint: endpoint + ", trust_on_first_use: true, reach: proxy}")
            let up = try ProviderTestSupport.testbed(["lab", "up", "-t", trusting], home: home)
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            let status = try ProviderTestSupport.testbed(["lab", "status", "--no-probe"], home: home)
            #expect(status.stdoutText.contains("tb-tofu-a on m1 at 127.0.0.1:"), "\(status.stdoutText)")
            // The certificate it took is the daemon's own, pinned in the lab's lxc configuration.
            let pinned = LabPaths(name: "tofu", root: home).directory + "/lxd-client/servercerts/target.crt"
            #expect(
                (try? String(contentsOfFile: pinned, encoding: .utf8))
                    == (try String(contentsOfFile: daemon.serverCertificate, encoding: .utf8)))
            let ping = try ProviderTestSupport.exec(
                trusting, "a", "ping -c 1 -W 2 169.254.41.2 >/dev/null && hostname", home: home)
            #expect(ping == "a\n")
            let down = try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0) && down.stderrText == "", "\(down.stderrText)")
            #expect(try daemon.inventory() == inventory)
            daemon.down()
        }
    }
}
