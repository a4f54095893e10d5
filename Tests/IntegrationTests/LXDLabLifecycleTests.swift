import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// LXD labs side by side under per-lab names, and `lab up` killed at each provider phase: `lab down --all`
/// finds everything by the journal and leaves nothing.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(20)), .enabled(if: ProviderTestSupport.hasLXD, ProviderTestSupport.lxdSkip))
    final class LXDLabLifecycleTests {
        let lab = ProviderTestSupport.home()
        var home: String { lab.path }

        func pair(_ name: String) throws -> String {
            try lab.write(
                name + ".yaml",
                """
                name: \(name)
                provider: lxd
                nodes:
                  a: {interfaces: {eth1: {mac: "02:00:00:00:0a:01", addresses: [169.254.40.1/24]}}}
                  b: {interfaces: {eth1: {mac: "02:00:00:00:0a:02", addresses: [169.254.40.2/24]}}}
                links:
                  - endpoints: ["a:eth1", "b:eth1"]
                """)
        }

        @Test("two LXD labs of different names run side by side; taking one down leaves the other working")
        func sideBySide() throws {
            let before = try SystemSnapshot.capture()
            let first = try pair("left")
            let second = try pair("right")
            for topology in [first, second] {
                let up = try ProviderTestSupport.testbed(["lab", "up", "-t", topology], home: home)
                try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            }
            let namespaces = try LabTestSupport.sh("ip netns list | cut -d' ' -f1 | sort").stdoutText
            #expect(namespaces.contains("tb-left-m1\n") && namespaces.contains("tb-right-m1\n"), "\(namespaces)")
            // The same addresses on both labs' segments, and each b answers on its own.
            for topology in [first, second] {
                let ping = try ProviderTestSupport.exec(
                    topology, "a", "ping -c 1 -W 2 169.254.40.2 >/dev/null && hostname", home: home)
                #expect(ping == "a\n")
            }
            #expect(try ProviderTestSupport.testbed(["lab", "down", "-t", first], home: home).status == .exited(0))
            #expect(ProviderTestSupport.cgroups(lab: "left") == [])
            let still = try ProviderTestSupport.exec(
                second, "b", "ip -br address show dev eth1 | cut -c1-4", home: home)
            #expect(still == "eth1\n")
            #expect(
                try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home).stdoutText == "removed: right\n")
            try SystemSnapshot.expectNoLeftovers(since: before)
        }

        @Test(
            "SIGKILL of lab up at each provider phase, then lab down --all: nothing is left",
            arguments: ["provider-members", "provider-instances", "provider-started"])
        func killDuringUp(phase: String) throws {
            let before = try SystemSnapshot.capture()
            let topology = try pair("killed")
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
            let down = try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            #expect(down.stdoutText == "removed: killed\n")
            try SystemSnapshot.expectNoLeftovers(since: before)
            #expect(ProviderTestSupport.cgroups(lab: "killed") == [])
            #expect(!FileManager.default.fileExists(atPath: "\(home)/labs/killed"))
            #expect(!FileManager.default.fileExists(atPath: "\(home)/labs/killed.journal"))
        }

        @Test(
            "a daemon killed under its containers leaves their empty cgroups in every hierarchy; lab down removes them")
        func orphanedCgroups() throws {
            let before = try SystemSnapshot.capture()
            let topology = try pair("orphan")
            let up = try ProviderTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            try #require(up.status == .exited(0), "\(up.stdoutText)\(up.stderrText)")
            // The recorded daemon is the member's PID namespace: its end takes LXD and the containers with it,
            // and nothing is left to remove their cgroups but testbed.
            let daemon = try ProviderTestSupport.summary("orphan", home: home).switchPID
            try #require(daemon > 0 && kill(daemon, SIGKILL) == 0)
            var left: [String] = []
            for _ in 0..<100 {
                left = ProviderTestSupport.cgroups(lab: "orphan")
                if !left.isEmpty, left.allSatisfy(Self.isEmptyCgroup) { break }
                usleep(100_000)
            }
            let hierarchies = Set(left.map { $0.prefix { $0 != "/" } })
            let isHybrid = !FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
            try #require(hierarchies.count > (isHybrid ? 1 : 0), "each hierarchy holds a copy: \(left)")
            try #require(left.allSatisfy(Self.isEmptyCgroup), "\(left)")
            let down = try ProviderTestSupport.testbed(["lab", "down", "--all"], home: home)
            #expect(down.status == .exited(0), "\(down.stderrText)")
            #expect(ProviderTestSupport.cgroups(lab: "orphan") == [])
            try SystemSnapshot.expectNoLeftovers(since: before)
        }

        /// No process in the cgroup (`cgroup.procs` of the directory, relative to /sys/fs/cgroup, is empty).
        static func isEmptyCgroup(_ path: String) -> Bool {
            let procs = (try? String(contentsOfFile: "/sys/fs/cgroup/\(path)/cgroup.procs", encoding: .utf8)) ?? "x"
            return procs.isEmpty
        }
    }
}
