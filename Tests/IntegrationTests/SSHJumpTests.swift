import Glibc
import Logging
import Testing

@testable import Orchestrator

extension SSHIntegrationTests {
    /// ProxyJump through real `sshd -D` daemons on 127.0.0.1, each with its own throwaway host key, client key
    /// and known_hosts file, all checked strictly.
    @Suite("SSH ProxyJump") struct Jumps {
        /// A daemon with its lab, and the known_hosts line that trusts it.
        struct Hop {
            let lab: SSHTestLab
            let daemon: SSHTestDaemon
            var name: String { "[127.0.0.1]:\(daemon.port)" }

            init(extraConfig: String = "") throws {
                lab = try SSHTestLab()
                if !extraConfig.isEmpty { try LocalFile.append(extraConfig, to: lab.configPath) }
                daemon = try lab.startDaemon()
                try lab.write("known_hosts", "\(name) \(lab.hostKey.knownHostsText)\n")
            }

            func endpoint(via jumps: [Hop] = []) -> SSHEndpoint {
                var endpoint = lab.endpoint(daemon.transport)
                endpoint.keepaliveInterval = .seconds(1)
                endpoint.jumpHosts = jumps.map { $0.endpoint() }
                return endpoint
            }

            func stop() { daemon.stop() }
        }

        /// Runs `body` with a session to a target reached through two jump hosts (first, second, target).
        func throughTwoHops(_ body: (SSHSession, _ first: Hop, _ second: Hop, _ target: Hop) throws -> Void) throws {
            let first = try Hop()
            defer { first.stop() }
            let second = try Hop()
            defer { second.stop() }
            let target = try Hop()
            defer { target.stop() }
            let session = try SSHSession.connect(
                to: target.endpoint(via: [first, second]), nodeName: "target", logger: Logger(label: "t"))
            defer { session.disconnect() }
            try body(session, first, second, target)
        }

        @Test("a command runs on the target through two jump hosts, each hop's host key checked against its own file")
        func twoHops() throws {
            try throughTwoHops { session, first, second, target in
                #expect(session.hostKeyFingerprint == target.lab.hostKey.fingerprint)
                let output = try session.execute(
                    command: "echo through; cat", input: Array("and back".utf8), until: .now + .seconds(10))
                #expect(output.status == .exited(0))
                #expect(output.stdoutText == "through\nand back")
                // A larger transfer than one channel window, both ways through both relays.
                let big = [UInt8](repeating: UInt8(ascii: "x"), count: 3_000_000)
                let echoed = try session.execute(command: "cat", input: big, until: .now + .seconds(30))
                #expect(echoed.stdout.count == big.count)
                #expect(
                    session.endpoint.address == "127.0.0.1:\(target.daemon.port) via 127.0.0.1:\(first.daemon.port), "
                        + "127.0.0.1:\(second.daemon.port)")
            }
        }

        /// Each relay reads and writes its hop's channel in turns; a read that must send a window adjustment
        /// and a write in between broke the session (BAD_USE) or stalled it: before the pump repeated such a
        /// read first, these ten trips failed in 2 runs of 4 (thirty trips: 4 of 4); after, 0 of 3 (thirty: 0 of 5).
        @Test("ten 3 MB round trips through two relays: every byte comes back, none stalls")
        func manyWindows() throws {
            try throughTwoHops { session, _, _, _ in
                let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
                for trip in 0..<10 {
                    let echoed = try session.execute(command: "cat", input: big, until: .now + .seconds(30))
                    #expect(echoed.status == .exited(0) && echoed.stdout == big, "trip \(trip)")
                }
            }
        }

        @Test("a changed host key on the second hop is refused with both fingerprints")
        func changedTargetKey() throws {
            let bastion = try Hop()
            defer { bastion.stop() }
            let target = try Hop()
            defer { target.stop() }
            try SSHTestLab.keygen(["-t", "ed25519", "-f", target.lab.path("impostor")])
            let impostor = try SSHTestLab.publicKey(target.lab.path("impostor.pub"))
            try target.lab.write("known_hosts", "\(target.name) \(impostor.knownHostsText)\n")
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: target.endpoint(via: [bastion]), nodeName: "target", logger: Logger(label: "t"))
            }
            let offered = try SSHTestLab.sshKeygenFingerprint(target.lab.path("host_ed25519.pub"))
            let recorded = try SSHTestLab.sshKeygenFingerprint(target.lab.path("impostor.pub"))
            let file = target.lab.path("known_hosts")
            #expect(error?.code == .hostKeyMismatch)
            #expect(
                error?.description.hasPrefix(
                    """
                    error: node 'target' (127.0.0.1:\(target.daemon.port) via 127.0.0.1:\(bastion.daemon.port)): the \
                    host key of '\(target.name)' has changed: the server offered ssh-ed25519 key \(offered), but \
                    \(file):1 records \(recorded)
                    """) == true)
        }

        @Test("a changed host key on the jump host is refused and the error names that hop")
        func changedBastionKey() throws {
            let bastion = try Hop()
            defer { bastion.stop() }
            let target = try Hop()
            defer { target.stop() }
            try SSHTestLab.keygen(["-t", "ed25519", "-f", bastion.lab.path("impostor")])
            let impostor = try SSHTestLab.publicKey(bastion.lab.path("impostor.pub"))
            try bastion.lab.write("known_hosts", "\(bastion.name) \(impostor.knownHostsText)\n")
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: target.endpoint(via: [bastion]), nodeName: "target", logger: Logger(label: "t"))
            }
            let offered = try SSHTestLab.sshKeygenFingerprint(bastion.lab.path("host_ed25519.pub"))
            #expect(error?.code == .hostKeyMismatch)
            #expect(
                error?.message.hasPrefix(
                    "jump host 1 of 1 (127.0.0.1:\(bastion.daemon.port)): the host key of '\(bastion.name)' has "
                        + "changed: the server offered ssh-ed25519 key \(offered)") == true)
        }

        @Test("a jump host that forbids TCP forwarding is named, with the address it was asked for")
        func forwardingRefused() throws {
            let bastion = try Hop(extraConfig: "AllowTcpForwarding no\n")
            defer { bastion.stop() }
            let target = try Hop()
            defer { target.stop() }
            let error = #expect(throws: ConnectionError.self) {
                try SSHSession.connect(
                    to: target.endpoint(via: [bastion]), nodeName: "target", logger: Logger(label: "t"))
            }
            #expect(error?.code == .connectFailed)
            #expect(
                error?.message == "jump host 1 of 1 (127.0.0.1:\(bastion.daemon.port)) refused or failed to open a "
                    + "connection to 127.0.0.1:\(target.daemon.port)")
        }

        @Test("when the jump host goes away, the target session reports the connection lost")
        func bastionDies() throws {
            let bastion = try Hop()
            defer { bastion.stop() }
            let target = try Hop()
            defer { target.stop() }
            let session = try SSHSession.connect(
                to: target.endpoint(via: [bastion]), nodeName: "target", logger: Logger(label: "t"))
            defer { session.disconnect() }
            #expect(try session.execute(command: "true", until: .now + .seconds(10)).status == .exited(0))
            bastion.stop()
            let error = #expect(throws: ConnectionError.self) {
                try session.execute(command: "true", until: .now + .seconds(10))
            }
            #expect(error?.code == .connectionLost)
        }
    }
}
