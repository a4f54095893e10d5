import Foundation
import Logging
import Orchestrator
import PlanModel
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class LabLifecycleTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var netsukuku: String { lab.netsukuku }
        var threeNodes: String { LabTestSupport.repository + "/topologies/three-nodes/topology.yaml" }

        @Test("lab up: every node answers real OpenSSH with strict host keys; lab down leaves nothing")
        func upAnswersSSHAndDownLeavesNothing() throws {
            let before = try SystemSnapshot.capture()
            let up = try LabTestSupport.testbed(["lab", "up", "-t", netsukuku], home: home)
            #expect(up.status == .exited(0), "\(up.stderrText)")
            let config = "\(home)/labs/netsukuku-poc/ssh_config"
            let text = try String(contentsOfFile: config, encoding: .utf8)
            #expect(text.contains("StrictHostKeyChecking yes"))
            for node in ["alfa", "beta", "gamma", "delta", "epsilon", "mu", "lambda", "rho"] {
                let output = try LabTestSupport.ssh(config, node, "hostname")
                #expect(output.stdoutText == "\(node)\n", "\(node): \(output.stderrText)")
            }
            // The documented MAC is applied to the node's interface.
            let link = try LabTestSupport.ssh(config, "beta", "cat /sys/class/net/eth1/address")
            #expect(link.stdoutText == "00:16:3e:ec:a3:e1\n")

            // Strictness: a known_hosts entry with another key is refused by OpenSSH.
            let knownHosts = "\(home)/labs/netsukuku-poc/ssh/known_hosts"
            let original = try String(contentsOfFile: knownHosts, encoding: .utf8)
            let lines = original.split(separator: "\n").map(String.init)
            let swapped =
                [
                    lines[1].split(separator: " ")[0] + " "
                        + lines[0].split(separator: " ").dropFirst().joined(separator: " ")
                ]
                + lines.dropFirst(2)
            try (swapped.joined(separator: "\n") + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)
            let refused = try LabTestSupport.ssh(config, "beta", "true")
            #expect(refused.status != .exited(0))
            try original.write(toFile: knownHosts, atomically: true, encoding: .utf8)

            let down = try LabTestSupport.testbed(["lab", "down", "-t", netsukuku], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(!FileManager.default.fileExists(atPath: "\(home)/labs/netsukuku-poc"))
        }

        @Test("nested namespaces and rt_tables edits stay inside their node; link-locals reach across the segment")
        func isolationAndReachability() throws {
            let up = try LabTestSupport.testbed(["lab", "up", "-t", netsukuku], home: home)
            #expect(up.status == .exited(0), "\(up.stderrText)")
            defer { _ = try? LabTestSupport.testbed(["lab", "down", "-t", netsukuku], home: home) }
            let config = "\(home)/labs/netsukuku-poc/ssh_config"
            let marker = "250 probe_\(getpid())"
            let beta = try LabTestSupport.ssh(
                config, "beta", "ip netns add probe && echo '\(marker)' >> /etc/iproute2/rt_tables && ip netns list")
            #expect(beta.stdoutText.contains("probe"), "\(beta.stderrText)")
            #expect(try !LabTestSupport.sh("ip netns list").stdoutText.contains("probe"))
            #expect(try !String(contentsOfFile: "/etc/iproute2/rt_tables", encoding: .utf8).contains(marker))
            let gamma = try LabTestSupport.ssh(config, "gamma", "ip netns list; cat /etc/iproute2/rt_tables")
            #expect(!gamma.stdoutText.contains("probe"))
            #expect(try LabTestSupport.ssh(config, "beta", "cat /etc/iproute2/rt_tables").stdoutText.contains(marker))

            _ = try LabTestSupport.ssh(
                config, "alfa",
                "ip address add 169.254.69.30 dev eth1 && ip route add 169.254.96.141 dev eth1 src 169.254.69.30")
            _ = try LabTestSupport.ssh(
                config, "beta",
                "ip address add 169.254.96.141 dev eth1 && ip route add 169.254.69.30 dev eth1 src 169.254.96.141")
            let ping = try LabTestSupport.ssh(config, "alfa", "ping -q -n -c 1 -W 2 169.254.96.141")
            #expect(ping.status == .exited(0), "\(ping.stdoutText)\(ping.stderrText)")
            // Sealed: the switch namespace holds only the lab's bridges and the switch ends of node veths,
            // and the root namespace gained no link (checked structurally; no traffic is sent anywhere else).
            let summary = try #require(Lab.running(name: "netsukuku-poc", root: home))
            let switchLinks = try LabTestSupport.sh(
                "nsenter --net=/proc/\(summary.switchPID)/ns/net ip -o link show | awk -F': ' '{print $2}'")
            let names = switchLinks.stdoutText.split(separator: "\n").map {
                $0.split(separator: "@").first.map(String.init) ?? ""
            }
            #expect(names.sorted() == (["lo", "seg0"] + (0..<8).map { "n\($0)i0" }).sorted())
        }

        @Test("refusals: already up, topology changed while up, not root; status reports the lab; down is idempotent")
        func refusalsAndStatus() throws {
            let directory = home + "/topos"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/three.yaml"
            try String(contentsOfFile: threeNodes, encoding: .utf8).write(
                toFile: path, atomically: true, encoding: .utf8)
            let up = try LabTestSupport.testbed(["lab", "up", "-t", path], home: home)
            #expect(up.status == .exited(0), "\(up.stderrText)")
            defer { _ = try? LabTestSupport.testbed(["lab", "down", "--name", "three-nodes"], home: home) }

            let again = try LabTestSupport.testbed(["lab", "up", "-t", path], home: home)
            #expect(again.status == .exited(2))
            #expect(again.stderrText.contains("lab 'three-nodes' is already up"))

            try (String(contentsOfFile: path, encoding: .utf8) + "\n# edited\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            let changed = try LabTestSupport.testbed(["lab", "up", "-t", path], home: home)
            #expect(changed.status == .exited(2))
            #expect(changed.stderrText.contains("is up with a different version of its topology"))

            let status = try LabTestSupport.testbed(["lab", "status", "--json"], home: home)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            struct Report: Decodable {
                struct Agent: Decodable { var hostname: String; var kernelRelease: String }
                var lab: LabStatus
                var agents: [String: Agent]
            }
            let reports = try decoder.decode([Report].self, from: Data(status.stdout))
            #expect(reports.map(\.lab.name) == ["three-nodes"])
            #expect(reports.first?.lab.state == .up)
            #expect(reports.first?.lab.nodes.map(\.name) == ["a", "r", "b"])
            // Each node's agent answered hello over SSH with its own hostname.
            #expect(reports.first?.agents.mapValues(\.hostname) == ["a": "a", "r": "r", "b": "b"])
            #expect(reports.first?.agents["a"]?.kernelRelease.isEmpty == false)

            let nobody = try ProcessRunner.run(
                "/usr/bin/setpriv",
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", LabTestSupport.binary, "lab", "up", "-t",
                    threeNodes,
                ],
                environment: ["TESTBED_HOME=\(home)", "PATH=/usr/bin:/bin"])
            #expect(nobody.status == .exited(2), "\(nobody.stderrText)")
            #expect(nobody.stderrText.contains("the local lab needs root"))

            let down = try LabTestSupport.testbed(["lab", "down", "--name", "three-nodes"], home: home)
            #expect(down.stdoutText.contains("is down"))
            let twice = try LabTestSupport.testbed(["lab", "down", "--name", "three-nodes"], home: home)
            #expect(twice.status == .exited(0))
            #expect(twice.stdoutText == "lab 'three-nodes' is not up; nothing to remove\n")
        }

        @Test(
            "SIGKILL of lab up in every phase, then lab down: nothing is left",
            arguments: ["lab-files", "lab-holders", "lab-links", "lab-released", "lab-access", "lab-complete"])
        func killDuringUp(phase: String) throws {
            let before = try SystemSnapshot.capture()
            let topology = try LabTestSupport.writeLineTopology(name: "killed", count: 12, in: home)
            let environment = ProcessEnvironment.current + ["TESTBED_HOME=\(home)", "TESTBED_FAULT_PAUSE=\(phase)"]
            let child = try ChildProcess(
                executable: LabTestSupport.binary, arguments: ["lab", "up", "-t", topology],
                options: .init(environment: environment, stdout: .null, stderr: .pipe))
            let stderr = child.takePipes().stderr ?? -1
            defer { close(stderr) }
            var seen: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            while !String(decoding: seen, as: UTF8.self).contains("paused at \(phase)") {
                let count = read(stderr, &buffer, buffer.count)
                guard count > 0 else { break }
                seen += buffer[0..<count]
            }
            #expect(
                String(decoding: seen, as: UTF8.self).contains("paused at \(phase)"), "lab up ended before \(phase)")
            child.signal(SIGKILL)
            child.wait()
            let down = try LabTestSupport.testbed(["lab", "down", "--name", "killed"], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(!FileManager.default.fileExists(atPath: "\(home)/labs/killed"))
            #expect(!FileManager.default.fileExists(atPath: "\(home)/labs/killed.journal"))
            #expect(!FileManager.default.fileExists(atPath: "\(home)/labs/killed.lock"))
        }

        @Test("a journal record that cannot be encoded stops lab up with an error naming it; what it made is removed")
        func unencodableJournalRecord() throws {
            let before = try SystemSnapshot.capture()
            let topology = try LabTestSupport.writeLineTopology(name: "unencodable", count: 3, in: home)
            // The fault gives the record of the first bridge a time JSON cannot hold; by then files, holders
            // and namespaces exist.
            let environment =
                ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_") }
                + ["TESTBED_HOME=\(home)", "TESTBED_FAULT_FAIL=journal-encode:bridge seg0"]
            let up = try ProcessRunner.run(
                LabTestSupport.binary, ["lab", "up", "-t", topology], environment: environment)
            #expect(up.status == .exited(1), "\(up.stderrText)")
            #expect(
                up.stderrText.contains(
                    "error: cannot encode the lab journal record 'intent bridge seg0 in the switch namespace' of \(home)/labs/unencodable.journal"
                ), "\(up.stderrText)")
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(home)/labs") == [])
        }

        @Test("a missing program is refused up front, naming its Debian package")
        func missingPrograms() throws {
            #expect {
                _ = try HostTools.locate(searchPath: ["/nonexistent"])
            } throws: { error in
                let text = "\(error)"
                return text.contains("sshd (Debian package openssh-server)") && text.contains("apt-get install -y")
                    && text.contains("iproute2")
            }
        }

        @Test("a topology with SSH endpoints is refused by the local lab")
        func remoteTopologyRefused() throws {
            let path = home + "/remote.yaml"
            try "name: remote\nnodes:\n  a: {ssh: {host: 192.0.2.1}}\n".write(
                toFile: path, atomically: true, encoding: .utf8)
            let result = try LabTestSupport.testbed(["lab", "up", "-t", path], home: home)
            #expect(result.status == .exited(2))
            #expect(result.stderrText.contains("names SSH endpoints"))
        }
    }
}
