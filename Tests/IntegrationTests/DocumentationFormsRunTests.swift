import Foundation
import Orchestrator
import Testing

extension RealKernelTests {
    /// Every page and script form the documentation ever had, through the CLI on a real lab: older ssh scripts,
    /// data tables under a system line, pages that create their own namespace, pages with their own mistakes,
    /// and the gateway pages' eth2 wiring.
    @Suite(.serialized, .timeLimit(.minutes(8)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class DocumentationFormsRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }
        let variant = LabTestSupport.repository + "/topologies/netsukuku-poc/topology-eth2.yaml"

        static func fixture(_ name: String) -> String {
            LabTestSupport.repository + "/Tests/PlanModelTests/Fixtures/" + name
        }

        func testbed(_ arguments: [String]) throws -> ProcessOutput {
            try LabTestSupport.testbed(arguments, home: home)
        }

        /// What a node's kernel holds that the scripts touch, as text: IPv4 only, since the scripts touch no IPv6
        /// and the kernel adds an interface's IPv6 link-local route only once its duplicate detection ends, which
        /// under load may come after one run's dump and before the other's.
        func dump(_ node: String) throws -> String {
            var text = ""
            for command in [
                ["ip", "-4", "rule"], ["ip", "-4", "route", "show", "table", "all"], ["ip", "-4", "-br", "address"],
                ["cat", "/etc/iproute2/rt_tables"], ["sysctl", "net.ipv4.ip_forward"],
            ] {
                let output = try testbed(["exec", "-t", topology, node, "--"] + command)
                #expect(output.status == .exited(0), "\(command): \(output.stderrText)")
                text += "$ \(command.joined(separator: " "))\n\(output.stdoutText)"
            }
            return text
        }

        @Test("an ssh … sudo script runs on the lab and leaves the same state as its lxc exec twin")
        func sshTwin() throws {
            var dumps: [String] = []
            for name in ["start-arc-lxc.sh", "start-arc-ssh.sh"] {
                let run = try testbed(["run", "--fresh", "-t", topology, Self.fixture("scripts/" + name)])
                #expect(run.status == .exited(0), "\(name): \(run.stdoutText)\(run.stderrText)")
                dumps.append(try dump("beta") + dump("gamma"))
            }
            #expect(dumps[0] == dumps[1])
            #expect(dumps[1].contains("251 ntk # xxx_table_ntk_xxx"), "\(dumps[1])")
            #expect(dumps[1].contains("lookup ntk"), "\(dumps[1])")
        }

        @Test("a data table under a system line is not run; the page runs")
        func dataTable() throws {
            let run = try testbed(["run", "--fresh", "-t", topology, Self.fixture("pages/interfaces.md")])
            #expect(run.status == .exited(0), "\(run.stdoutText)\(run.stderrText)")
            #expect(!run.stdoutText.contains("command not found") && !run.stderrText.contains("command not found"))
        }

        @Test("a page that creates its namespace and macvlan replays without File exists")
        func namespaceHere() throws {
            let replay = try testbed(["replay", "-t", topology, Self.fixture("pages/namespace-here.md")])
            #expect(replay.status == .exited(0), "\(replay.stdoutText)\(replay.stderrText)")
            #expect(!replay.stdoutText.contains("File exists"))
        }

        @Test("an inconsistent page is refused with its line before anything runs; --repair runs it")
        func inconsistentPage() throws {
            let page = Self.fixture("pages/inconsistent-change.md")
            let refused = try testbed(["replay", "-t", topology, page])
            #expect(refused.status == .exited(2))
            #expect(
                refused.stderrText.contains(
                    "inconsistent-change.md:21:1: error: the page's mistake on beta: `ip netns exec migr01 ip route change 10.0.0.16/30"
                ), "\(refused.stderrText)")
            #expect(!refused.stderrText.contains("was not up: brought it up"))
            let status = try testbed(["lab", "status", "--json"])
            #expect(!status.stdoutText.contains("netsukuku-poc"), "\(status.stdoutText)")
            let repaired = try testbed(["replay", "--repair", "-t", topology, page])
            #expect(repaired.status == .exited(0), "\(repaired.stdoutText)\(repaired.stderrText)")
            #expect(repaired.stderrText.contains("repaired with --repair (2 lines of the page):"))
        }

        @Test("a page of the eth2 wiring is refused on the one-NIC topology, naming the variant, and replays on it")
        func eth2Page() throws {
            let page = Self.fixture("pages/gateway-eth2.md")
            let refused = try testbed(["replay", "-t", topology, page])
            #expect(refused.status == .exited(2))
            #expect(
                refused.stderrText.contains(
                    "error: lambda uses eth2, which the topology 'netsukuku-poc' does not give it"))
            #expect(refused.stderrText.contains("topology-eth2.yaml, where lambda has eth2"), "\(refused.stderrText)")
            let run = try testbed(["run", "-t", topology, page])
            #expect(run.status == .exited(2))
            let replay = try testbed(["replay", "-t", variant, page])
            #expect(replay.status == .exited(0), "\(replay.stdoutText)\(replay.stderrText)")
            _ = try testbed(["lab", "down", "-t", variant])
        }
    }
}
