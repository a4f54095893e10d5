import Logging
import Testing

@testable import Orchestrator

extension SSHIntegrationTests {
    @Suite("SSH host keys") struct HostKeys {
        @Test("a changed host key is refused with both SHA256 fingerprints, file:line and the ssh-keygen -R hint")
        func mismatch() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try SSHTestLab.keygen(["-t", "ed25519", "-f", lab.path("impostor")])
            let recorded = try SSHTestLab.publicKey(lab.path("impostor.pub"))
            let name = "[127.0.0.1]:\(daemon.port)"
            try lab.write("known_hosts", "# lab hosts\n\(name) \(recorded.knownHostsText)\n")
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: Logger(label: "t"))
            }
            let serverPrint = try SSHTestLab.sshKeygenFingerprint(lab.path("host_ed25519.pub"))
            let recordedPrint = try SSHTestLab.sshKeygenFingerprint(lab.path("impostor.pub"))
            #expect(error?.code == .hostKeyMismatch)
            let file = lab.path("known_hosts")
            #expect(
                error?.description == """
                    error: node 'alfa' (127.0.0.1:\(daemon.port)): the host key of '\(name)' has changed: the server \
                    offered ssh-ed25519 key \(serverPrint), but \(file):2 records \(recordedPrint)
                    hint: if the node's host key was changed on purpose (e.g. the lab was rebuilt), remove the old \
                    entry with `ssh-keygen -R '\(name)' -f \(file)` and connect again; otherwise someone may be \
                    intercepting the connection
                    """)
        }

        @Test("an unknown host is refused under strict, recorded under acceptNew, then trusted under strict")
        func unknownHost() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try lab.write("known_hosts", "# nothing yet\n")
            let strict = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: Logger(label: "t"))
            }
            let name = "[127.0.0.1]:\(daemon.port)"
            #expect(strict?.code == .hostKeyUnknown)
            #expect(strict?.message.contains("host '\(name)' is not in \(lab.path("known_hosts"))") == true)
            #expect(strict?.hint.contains("\(name) \(lab.hostKey.knownHostsText)") == true)
            #expect(try lab.read("known_hosts") == "# nothing yet\n")

            let logs = SSHTestLogLines()
            let accepting = lab.endpoint(daemon.transport, policy: .acceptNew)
            let session = try SSHSession.connect(to: accepting, nodeName: "alfa", logger: logs.logger())
            session.disconnect()
            #expect(try lab.read("known_hosts") == "# nothing yet\n\(name) \(lab.hostKey.knownHostsText)\n")
            #expect(
                logs.all.contains {
                    $0.hasPrefix(
                        "notice permanently added '\(name)' (ED25519 \(lab.hostKey.fingerprint)) to "
                            + "\(lab.path("known_hosts")):2"
                    )
                })

            let again = try SSHSession.connect(
                to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: Logger(label: "t"))
            #expect(try again.execute(command: "echo trusted", until: .now + .seconds(20)).stdoutText == "trusted\n")
        }

        @Test("acceptNew still refuses a changed key")
        func acceptNewRefusesChange() throws {
            let lab = try SSHTestLab()
            try SSHTestLab.keygen(["-t", "ed25519", "-f", lab.path("impostor")])
            try lab.write(
                "known_hosts", "tb-test-alfa \(try SSHTestLab.publicKey(lab.path("impostor.pub")).knownHostsText)\n")
            let endpoint = lab.endpoint(lab.commandTransport, alias: "tb-test-alfa", policy: .acceptNew)
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: endpoint, nodeName: "alfa", logger: Logger(label: "t"))
            }
            #expect(error?.code == .hostKeyMismatch)
        }

        @Test("a hashed known_hosts entry (ssh-keygen -H) is accepted")
        func hashedEntry() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try lab.write("known_hosts", "[127.0.0.1]:\(daemon.port) \(lab.hostKey.knownHostsText)\n")
            let hashed = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-H", "-f", lab.path("known_hosts")])
            #expect(hashed.status == .exited(0))
            #expect(try lab.read("known_hosts").hasPrefix("|1|"))
            let session = try SSHSession.connect(
                to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: Logger(label: "t"))
            #expect(try session.execute(command: "echo hashed", until: .now + .seconds(20)).stdoutText == "hashed\n")
        }

        @Test("a key marked @revoked is refused even though a plain line trusts it")
        func revoked() throws {
            let lab = try SSHTestLab()
            try lab.write(
                "known_hosts",
                "tb-test-alfa \(lab.hostKey.knownHostsText)\n@revoked * \(lab.hostKey.knownHostsText)\n")
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: lab.endpoint(lab.commandTransport, alias: "tb-test-alfa"), nodeName: "alfa",
                    logger: Logger(label: "t"))
            }
            #expect(error?.code == .hostKeyRevoked)
            #expect(error?.message.contains("marked @revoked at \(lab.path("known_hosts")):2") == true)
        }

        @Test("the alias selects the entry: the same key under another name is unknown")
        func aliasSelects() throws {
            let lab = try SSHTestLab()
            try lab.write("known_hosts", "tb-test-bravo \(lab.hostKey.knownHostsText)\n")
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: lab.endpoint(lab.commandTransport, alias: "tb-test-alfa"), nodeName: "alfa",
                    logger: Logger(label: "t"))
            }
            #expect(error?.code == .hostKeyUnknown)
            #expect(error?.message.contains("host 'tb-test-alfa' is not in") == true)
        }
    }
}
