import Glibc
import Logging
import Testing

@testable import Orchestrator

/// Every real-sshd test, nested under one serialized parent so only one sshd runs at a time on this 2-core box.
@Suite(
    "SSH integration", .serialized,
    .enabled(if: sshIntegrationPrerequisites.isMet, "\(sshIntegrationPrerequisites.reason)"),
    .timeLimit(.minutes(5)))
struct SSHIntegrationTests {}

extension SSHIntegrationTests {
    @Suite("SSH connections") struct Connections {
        @Test(
            "TCP: connect, authenticate, execute with stdout/stderr apart, exit status, signal, large and non-ASCII I/O"
        )
        func tcpExecute() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            defer { daemon.stop() }
            try lab.write("known_hosts", "[127.0.0.1]:\(daemon.port) \(lab.hostKey.knownHostsText)\n")
            let session = try SSHSession.connect(
                to: lab.endpoint(daemon.transport), nodeName: "alfa", logger: Logger(label: "t"))
            defer { session.disconnect() }
            #expect(session.hostKeyFingerprint == (try SSHTestLab.sshKeygenFingerprint(lab.path("host_ed25519.pub"))))

            let deadline = ContinuousClock.now + .seconds(30)
            let basic = try session.execute(command: "echo out; echo err >&2; exit 3", until: deadline)
            #expect(basic.stdoutText == "out\n")
            #expect(basic.stderrText == "err\n")
            #expect(basic.status == .exited(3))

            let big = try session.execute(
                command: "head -c 3000000 /dev/zero | tr '\\0' a; head -c 1500000 /dev/zero | tr '\\0' b >&2",
                until: deadline)
            #expect(big.stdout.count == 3_000_000)
            #expect(big.stderr.count == 1_500_000)
            #expect(big.stdout.allSatisfy { $0 == UInt8(ascii: "a") })
            #expect(big.stderr.allSatisfy { $0 == UInt8(ascii: "b") })

            let input = (0..<(2 * 1024 * 1024 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let counted = try session.execute(command: "sha256sum | cut -c1-64", input: input, until: deadline)
            let expected = HostKeyCrypto.sha256(input).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            #expect(counted.stdoutText == expected + "\n")

            let text = "héllo wörld ✓ 日本語"
            let unicode = try session.execute(command: "printf '%s|' '\(text)'; echo ünï >&2", until: deadline)
            #expect(unicode.stdoutText == text + "|")
            #expect(unicode.stderrText == "ünï\n")

            let signaled = try session.execute(command: "kill -TERM $$", until: deadline)
            #expect(signaled.status == .signaled(SIGTERM))

            let ignoresInput = try session.execute(
                command: "true", input: Array(repeating: 1, count: 4_000_000), until: deadline)
            #expect(ignoresInput.status == .exited(0))
        }

        @Test("the command transport runs the handshake over a socket pair to sshd -i and reaps it on disconnect")
        func commandTransport() throws {
            let lab = try SSHTestLab()
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            let session = try SSHSession.connect(
                to: lab.endpoint(lab.commandTransport, alias: "tb-test-alfa"), nodeName: "alfa",
                logger: Logger(label: "t"))
            let output = try session.execute(
                command: "echo via-proxy; echo $SSH_CONNECTION", until: .now + .seconds(20))
            #expect(output.stdoutText.hasPrefix("via-proxy\n"))
            #expect(output.status == .exited(0))
            #expect(session.endpoint.address.hasPrefix("proxy command /usr/bin/unshare"))
            let proxyPID = try #require(session.proxyProcessID)
            #expect(kill(proxyPID, 0) == 0)
            session.disconnect()
            #expect(kill(proxyPID, 0) != 0, "the proxy command is reaped by disconnect")
            #expect(session.proxyProcessID == nil)
            session.disconnect()  // idempotent
            #expect(!session.isConnected)
            #expect(throws: ConnectionError.self) { try session.execute(command: "true", until: .now + .seconds(5)) }
        }

        @Test(
            "ECDSA client keys authenticate", arguments: [["-t", "ecdsa", "-b", "256"], ["-t", "ecdsa", "-b", "521"]])
        func ecdsaKeys(keygenArguments: [String]) throws {
            let lab = try SSHTestLab()
            try SSHTestLab.keygen(keygenArguments + ["-f", lab.path("client_other")])
            try lab.authorize(lab.path("client_other"))
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            let endpoint = lab.endpoint(
                lab.commandTransport, alias: "tb-test-alfa", identity: [lab.path("client_other")])
            let session = try SSHSession.connect(to: endpoint, nodeName: "alfa", logger: Logger(label: "t"))
            #expect(try session.execute(command: "echo ok", until: .now + .seconds(20)).stdoutText == "ok\n")
        }

        @Test(
            "RSA keys: refused by a default OpenSSH 9 with the SHA-1 reason given, accepted once ssh-rsa is allowed",
            arguments: [["-t", "rsa", "-b", "2048"], ["-t", "rsa", "-b", "2048", "-m", "PEM"]])
        func rsaKeys(keygenArguments: [String]) throws {
            let lab = try SSHTestLab()
            try SSHTestLab.keygen(keygenArguments + ["-f", lab.path("client_rsa")])
            try lab.authorize(lab.path("client_rsa"))
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            let endpoint = lab.endpoint(lab.commandTransport, alias: "tb-test-alfa", identity: [lab.path("client_rsa")])
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: endpoint, nodeName: "alfa", logger: Logger(label: "t"))
            }
            #expect(error?.code == .authenticationFailed)
            #expect(
                error?.cause?.contains("refused by the server (an RSA key: libssh2 1.") == true,
                "\(String(describing: error))")
            #expect(error?.hint.contains("PubkeyAcceptedAlgorithms +ssh-rsa") == true)

            // Each sshd -i reads its configuration anew.
            try LocalFile.append("PubkeyAcceptedAlgorithms +ssh-rsa\n", to: lab.configPath)
            let session = try SSHSession.connect(to: endpoint, nodeName: "alfa", logger: Logger(label: "t"))
            #expect(try session.execute(command: "echo ok", until: .now + .seconds(20)).stdoutText == "ok\n")
        }

        @Test("an encrypted key opens with the passphrase from the named variable, which is never logged")
        func passphrase() throws {
            let lab = try SSHTestLab()
            let secret = "pa55-\(getpid())-correct horse"
            try SSHTestLab.keygen(["-t", "ed25519", "-f", lab.path("locked")], passphrase: secret)
            try lab.authorize(lab.path("locked"))
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            var endpoint = lab.endpoint(lab.commandTransport, alias: "tb-test-alfa", identity: [lab.path("locked")])
            endpoint.passphraseEnvironmentVariable = "TB_TEST_PASSPHRASE"
            let logs = SSHTestLogLines()
            let environment = SSHClientEnvironment(
                agentSocketPath: nil, variable: { $0 == "TB_TEST_PASSPHRASE" ? secret : nil }, askPassphrase: nil)
            let session = try SSHSession.connect(
                to: endpoint, nodeName: "alfa", logger: logs.logger(), environment: environment)
            #expect(try session.execute(command: "echo ok", until: .now + .seconds(20)).stdoutText == "ok\n")
            session.disconnect()
            #expect(!logs.all.isEmpty)
            #expect(logs.all.contains { $0.contains("libssh2_userauth_publickey_fromfile_ex") })
            #expect(!logs.all.contains { $0.contains(secret) })

            let none = SSHClientEnvironment(agentSocketPath: nil, variable: { _ in nil }, askPassphrase: nil)
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: endpoint, nodeName: "alfa", logger: logs.logger(), environment: none)
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.cause?.contains("\(lab.path("locked")): encrypted, and no passphrase is available") == true)
            #expect(error?.cause?.contains("$TB_TEST_PASSPHRASE is not set") == true)
        }

        @Test("ssh-agent keys are tried first, from the socket the environment names")
        func agent() throws {
            let lab = try SSHTestLab()
            let socket = lab.path("agent.sock")
            let agent = try ChildProcess(
                executable: "/usr/bin/ssh-agent", arguments: ["-D", "-a", socket],
                options: .init(stdout: .null, stderr: .null))
            defer {
                agent.signal(SIGKILL)
                agent.wait()
            }
            var ready = false
            for _ in 0..<250 where !ready {
                ready = access(socket, F_OK) == 0
                if !ready { usleep(20_000) }
            }
            let added = try ProcessRunner.run(
                "/usr/bin/ssh-add", [lab.clientKey],
                environment: ProcessEnvironment.current + ["SSH_AUTH_SOCK=\(socket)"])
            #expect(added.status == .exited(0), "\(added.stderrText)")
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            var endpoint = lab.endpoint(
                lab.commandTransport, alias: "tb-test-alfa", identity: [lab.path("does-not-exist")])
            endpoint.useAgent = true
            let logs = SSHTestLogLines()
            let environment = SSHClientEnvironment(agentSocketPath: socket, variable: { _ in nil }, askPassphrase: nil)
            let session = try SSHSession.connect(
                to: endpoint, nodeName: "alfa", logger: logs.logger(), environment: environment)
            #expect(try session.execute(command: "echo agent", until: .now + .seconds(20)).stdoutText == "agent\n")
            #expect(logs.all.contains { $0.contains("libssh2_agent_userauth") })
        }

        @Test("a key the server does not know is refused with authenticationFailed, listing every key tried")
        func wrongKey() throws {
            let lab = try SSHTestLab()
            try SSHTestLab.keygen(["-t", "ed25519", "-f", lab.path("stranger")])
            try lab.write("known_hosts", "tb-test-alfa \(lab.hostKey.knownHostsText)\n")
            var endpoint = lab.endpoint(
                lab.commandTransport, alias: "tb-test-alfa", identity: [lab.path("stranger"), lab.path("missing")])
            endpoint.useAgent = true
            let environment = SSHClientEnvironment(agentSocketPath: nil, variable: { _ in nil }, askPassphrase: nil)
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: endpoint, nodeName: "alfa", logger: Logger(label: "t"), environment: environment)
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message == "the server refused every key for user 'root'")
            #expect(
                error?.cause
                    == "tried: ssh-agent: SSH_AUTH_SOCK is not set; \(lab.path("stranger")): refused by the server; "
                    + "\(lab.path("missing")): no such file"
            )
            #expect(error?.description.hasPrefix("error: node 'alfa' (proxy command /usr/bin/unshare") == true)
        }

        @Test("a closed port fails with connectFailed; a dying proxy command with proxyCommandFailed and its stderr")
        func transportFailures() throws {
            let lab = try SSHTestLab()
            let daemon = try lab.startDaemon()
            let port = daemon.port
            daemon.stop()
            let refused = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: lab.endpoint(.tcp(host: "127.0.0.1", port: port)), nodeName: "alfa", logger: Logger(label: "t"))
            }
            #expect(refused?.code == .connectFailed)
            #expect(
                refused?.description.hasPrefix(
                    "error: node 'alfa' (127.0.0.1:\(port)): cannot connect to 127.0.0.1 port \(port): "
                        + "127.0.0.1: Connection refused"
                ) == true)

            let proxy = SSHEndpoint.Transport.command(
                executable: "/bin/sh", arguments: ["-c", "echo 'nsenter: no such process' >&2; exit 3"])
            let died = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: lab.endpoint(proxy), nodeName: "alfa", logger: Logger(label: "t"))
            }
            #expect(died?.code == .proxyCommandFailed)
            #expect(died?.cause?.contains("the proxy command ended (exit status 3): nsenter: no such process") == true)

            let missing = SSHEndpoint.Transport.command(executable: "no-such-program-tb", arguments: [])
            let notFound = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(to: lab.endpoint(missing), nodeName: "alfa", logger: Logger(label: "t"))
            }
            #expect(notFound?.code == .proxyCommandFailed)

            let silent = SSHEndpoint.Transport.command(executable: "/bin/sleep", arguments: ["30"])
            let start = ContinuousClock.now
            let timedOut = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: lab.endpoint(silent, timeout: .seconds(1)), nodeName: "alfa", logger: Logger(label: "t"))
            }
            #expect(timedOut?.code == .timedOut)
            #expect(timedOut?.message == "the SSH handshake did not finish in time")
            #expect(ContinuousClock.now - start < .milliseconds(1800))
        }
    }
}
