import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension RealKernelTests {
    /// One lab at a time per name, any number of names at once.
    @Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class LabLockingTests {
        let lab = LabTestHome()
        var home: String { lab.path }

        /// A copy of the three-nodes topology under another lab name.
        func threeNodes(named name: String) throws -> String {
            let source = LabTestSupport.repository + "/topologies/three-nodes/topology.yaml"
            let text = try String(contentsOfFile: source, encoding: .utf8)
                .replacingOccurrences(of: "name: three-nodes", with: "name: \(name)")
            return try lab.write("\(name).yaml", text)
        }

        @Test("two lab up of one lab at once: the second waits for the first, then refuses; down leaves nothing")
        func concurrentUpOfOneLab() throws {
            let before = try SystemSnapshot.capture()
            let topology = try threeNodes(named: "shared")
            let resume = home + "/resume"
            // The first stops half-built (holders up, no links yet) while holding the lock.
            let first = try ChildProcess(
                executable: LabTestSupport.binary, arguments: ["lab", "up", "-t", topology],
                options: .init(
                    environment: environment(["TESTBED_FAULT_PAUSE=lab-links", "TESTBED_FAULT_RESUME=\(resume)"]),
                    stdout: .pipe, stderr: .pipe))
            #expect(try readUntil(first.stderrFD ?? -1, contains: "paused at lab-links"))
            let lockInode = try #require(inode(of: home + "/labs/shared.lock"))
            let second = try ChildProcess(
                executable: LabTestSupport.binary, arguments: ["lab", "up", "-t", topology],
                options: .init(environment: environment([]), stdout: .pipe, stderr: .pipe))
            // Deterministic: the kernel's lock table shows the second process waiting for the first one's lock.
            try waitUntil { Self.isWaiting(second.pid, onInode: lockInode) || second.pollExit() != nil }
            #expect(second.pollExit() == nil, "the second lab up did not wait for the first")

            #expect(FileManager.default.createFile(atPath: resume, contents: nil))
            let firstOutput = try collect(first)
            #expect(firstOutput.status == .exited(0), "\(firstOutput.stderrText)")
            let secondOutput = try collect(second)
            #expect(secondOutput.status == .exited(2))
            #expect(secondOutput.stderrText.contains("lab 'shared' is already up"), "\(secondOutput.stderrText)")

            let config = home + "/labs/shared/ssh_config"
            #expect(try LabTestSupport.ssh(config, "a", "ping -q -n -c 1 -W 2 192.168.10.1").status == .exited(0))
            let down = try LabTestSupport.testbed(["lab", "down", "--name", "shared"], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/labs") == [])
        }

        @Test("two labs of different names at once: each reachable, isolated; down of one leaves the other working")
        func twoLabsAtOnce() throws {
            let before = try SystemSnapshot.capture()
            let (east, west) = (try threeNodes(named: "east"), try threeNodes(named: "west"))
            for topology in [east, west] {
                let up = try LabTestSupport.testbed(["lab", "up", "-t", topology], home: home)
                #expect(up.status == .exited(0), "\(up.stderrText)")
            }
            let (eastConfig, westConfig) = (home + "/labs/east/ssh_config", home + "/labs/west/ssh_config")
            for topology in [east, west] {
                let hostname = try LabTestSupport.testbed(["exec", "-t", topology, "r", "--", "hostname"], home: home)
                #expect(hostname.stdoutText == "r\n", "\(hostname.stderrText)")
            }
            // Separate switch namespaces; the same bridge and veth names live apart in each.
            let eastLab = try #require(Lab.running(name: "east", root: home))
            let westLab = try #require(Lab.running(name: "west", root: home))
            let eastSwitch = try readlink("/proc/\(eastLab.switchPID)/ns/net")
            #expect(eastSwitch != (try readlink("/proc/\(westLab.switchPID)/ns/net")))
            #expect(Set(eastLab.nodes.map(\.netnsInode)).isDisjoint(with: westLab.nodes.map(\.netnsInode)))

            // A route added in one lab is absent from the other.
            _ = try LabTestSupport.ssh(eastConfig, "a", "ip route add 10.99.0.0/24 dev eth1")
            #expect(try LabTestSupport.ssh(eastConfig, "a", "ip route show 10.99.0.0/24").stdoutText != "")
            #expect(try LabTestSupport.ssh(westConfig, "a", "ip route show 10.99.0.0/24").stdoutText == "")
            // Their segments never meet: an address only west's r has answers in west and not in east.
            _ = try LabTestSupport.ssh(westConfig, "r", "ip address add 192.168.10.77/24 dev eth1")
            #expect(try LabTestSupport.ssh(westConfig, "a", ping("192.168.10.77")).status == .exited(0))
            #expect(try LabTestSupport.ssh(eastConfig, "a", ping("192.168.10.77")).status != .exited(0))

            let down = try LabTestSupport.testbed(["lab", "down", "-t", east], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            #expect(Lab.running(name: "east", root: home) == nil)
            #expect(Lab.running(name: "west", root: home) != nil)
            #expect(try LabTestSupport.ssh(westConfig, "a", ping("192.168.10.77")).status == .exited(0))
            let hostname = try LabTestSupport.testbed(["exec", "-t", west, "b", "--", "hostname"], home: home)
            #expect(hostname.stdoutText == "b\n", "\(hostname.stderrText)")
            #expect(
                try LabTestSupport.ssh(westConfig, "r", "ip -br address show eth1").stdoutText.contains("192.168.10.77")
            )

            #expect(try LabTestSupport.testbed(["lab", "down", "-t", west], home: home).status == .exited(0))
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/labs") == [])
        }

        private func ping(_ address: String) -> String { "ping -q -n -c 1 -W 1 \(address)" }

        private func environment(_ extra: [String]) -> [String] {
            ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_") } + ["TESTBED_HOME=\(home)"] + extra
        }

        private func readlink(_ path: String) throws -> String {
            try FileManager.default.destinationOfSymbolicLink(atPath: path)
        }

        private func inode(of path: String) -> UInt64? {
            var status = stat()
            return stat(path, &status) == 0 ? UInt64(status.st_ino) : nil
        }

        /// Reads `fd` until its text contains `marker`; false at end of file.
        private func readUntil(_ fd: Int32, contains marker: String) throws -> Bool {
            var seen: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            while !String(decoding: seen, as: UTF8.self).contains(marker) {
                let count = read(fd, &buffer, buffer.count)
                guard count > 0 else { return false }
                seen += buffer[0..<count]
            }
            return true
        }

        /// Waits for the child and returns its exit status and all it wrote (stdout, then stderr).
        private func collect(_ child: ChildProcess) throws -> ProcessOutput {
            let pipes = child.takePipes()
            var streams: [[UInt8]] = []
            for fd in [pipes.stdout ?? -1, pipes.stderr ?? -1] {
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = read(fd, &buffer, buffer.count)
                    if count <= 0 { break }
                    bytes += buffer[0..<count]
                }
                close(fd)
                streams.append(bytes)
            }
            return ProcessOutput(status: child.wait(), stdout: streams[0], stderr: streams[1])
        }

        /// Whether process `pid` waits for a lock on the file with `inode`, by the kernel's `/proc/locks`.
        static func isWaiting(_ pid: Int32, onInode inode: UInt64) -> Bool {
            let text = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
            return text.split(separator: "\n").contains { line in
                let fields = line.split(separator: " ")
                return fields.contains("->") && fields.contains("\(pid)")
                    && fields.contains { $0.hasSuffix(":\(inode)") }
            }
        }

        /// Waits (up to a minute, so a broken build cannot hang the suite) until `condition` holds.
        private func waitUntil(_ condition: () throws -> Bool) throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while try !condition() {
                try #require(ContinuousClock.now < deadline, "gave up waiting")
                usleep(1_000)
            }
        }
    }
}
