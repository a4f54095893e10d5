import Glibc
import Logging
import Testing

@testable import Orchestrator

extension SSHIntegrationTests {
    /// `SSHEndpoint.networkNamespace`: an sshd listening on 127.0.0.1 inside a network namespace of its own (as
    /// the QEMU forwards and LXD proxy devices do) is reached from testbed's process without any helper program.
    @Suite("SSH into a network namespace") struct NetworkNamespace {
        /// A network namespace made for one test, deleted at the end.
        final class Namespace {
            let name = "tb-sshns-\(getpid())"
            var path: String { "/run/netns/" + name }

            init() throws {
                try Self.ip(["netns", "add", name])
                try Self.ip(["-n", name, "link", "set", "lo", "up"])
            }

            deinit { _ = try? ProcessRunner.run("/usr/sbin/ip", ["netns", "delete", name]) }

            static func ip(_ arguments: [String]) throws {
                let output = try ProcessRunner.run("/usr/sbin/ip", arguments)
                guard output.status.isSuccess else { throw TestFailure("ip \(arguments): \(output.stderrText)") }
            }
        }

        /// `sshd -D` on 127.0.0.1:`port` inside the namespace, stopped by recorded PID.
        func startDaemon(_ lab: SSHTestLab, in namespace: Namespace, port: Int) throws -> SSHTestDaemon {
            let (executable, arguments) = lab.sshdCommand(
                "-D -e -p \(port) -o ListenAddress=127.0.0.1 -f \(lab.configPath)")
            let child = try ChildProcess(
                executable: "/usr/bin/nsenter", arguments: ["--net=\(namespace.path)", executable] + arguments,
                options: .init(stdin: .null, stdout: .null, stderr: .file(path: lab.path("sshd.log"), append: true)))
            let daemon = SSHTestDaemon(child: child, port: port)
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                if let fd = try? TCPConnector.connect(
                    host: "127.0.0.1", port: port, until: .now + .seconds(1), networkNamespace: namespace.path)
                {
                    close(fd)
                    return daemon
                }
                usleep(20_000)
            }
            daemon.stop()
            throw TestFailure("sshd did not listen in \(namespace.name): \((try? lab.read("sshd.log")) ?? "")")
        }

        @Test("a session is made from inside the namespace; without it the same address refuses")
        func reachInside() throws {
            let namespace = try Namespace()
            let lab = try SSHTestLab()
            // A port nothing listens on in the root namespace (checked below), used inside the namespace.
            let port = 20000 + Int(getpid() % 20000)
            let daemon = try startDaemon(lab, in: namespace, port: port)
            defer { daemon.stop() }
            try lab.write("known_hosts", "[127.0.0.1]:\(port) \(lab.hostKey.knownHostsText)\n")
            var endpoint = lab.endpoint(.tcp(host: "127.0.0.1", port: port))
            endpoint.networkNamespace = namespace.path
            let session = try SSHSession.connect(to: endpoint, nodeName: "inside", logger: Logger(label: "t"))
            defer { session.disconnect() }
            // The inode of the server's network namespace, as sshd's own shell sees it.
            let seen = try session.execute(command: "readlink /proc/self/ns/net", until: .now + .seconds(10))
            let expected = try ProcessRunner.run(
                "/usr/bin/nsenter", ["--net=\(namespace.path)", "readlink", "/proc/self/ns/net"])
            #expect(seen.stdoutText == expected.stdoutText)
            #expect(session.endpoint.address == "127.0.0.1:\(port) in \(namespace.path)")
            endpoint.networkNamespace = nil
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: endpoint, nodeName: "outside", logger: Logger(label: "t"))
            }
            #expect(error?.code == .connectFailed)
        }

        @Test("a namespace that does not exist is named in the error")
        func missingNamespace() throws {
            let lab = try SSHTestLab()
            var endpoint = lab.endpoint(.tcp(host: "127.0.0.1", port: 22))
            endpoint.networkNamespace = "/run/netns/tb-no-such-namespace"
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: endpoint, nodeName: "nowhere", logger: Logger(label: "t"))
            }
            #expect(error?.code == .connectFailed)
            #expect(
                error?.message
                    == "cannot open the network namespace /run/netns/tb-no-such-namespace: No such file or directory")
        }
    }
}
