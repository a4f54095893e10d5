import PlanModel
import Testing

@testable import Orchestrator

@Suite struct SSHEndpointConfigTests {
    let context = SSHConfigDocument.Context(homeDirectory: "/home/ana", localUser: "ana")

    func document(_ text: String) throws -> SSHConfigDocument {
        try SSHConfigDocument.parse(text, path: "config", context: context, source: SSHConfigMemorySource([:]))
    }

    @Test("jump hosts are resolved through the same file, under their own names, and their own ProxyJump first")
    func jumpChain() throws {
        let config = try document(
            """
            Host target
              HostName 10.1.0.5
              ProxyJump ops@inner:2022
            Host inner
              HostName inner.example.org
              ProxyJump outer
              IdentityFile ~/.ssh/inner
            Host outer
              HostName 198.51.100.7
              User gate
              UserKnownHostsFile ~/.ssh/outer_known
            """)
        let (endpoint, notes) = try SSHEndpoint.fromSSHConfig(config, host: "target")
        #expect(endpoint.transport == .tcp(host: "10.1.0.5", port: 22))
        #expect(endpoint.user == "ana")
        #expect(
            endpoint.jumpHosts.map(\.transport) == [
                .tcp(host: "198.51.100.7", port: 22), .tcp(host: "inner.example.org", port: 2022),
            ])
        #expect(endpoint.jumpHosts.map(\.user) == ["gate", "ops"])
        #expect(endpoint.jumpHosts[0].knownHostsFiles == ["/home/ana/.ssh/outer_known"])
        #expect(endpoint.jumpHosts[1].identityFiles == ["/home/ana/.ssh/inner"])
        #expect(endpoint.jumpHosts.allSatisfy { $0.jumpHosts.isEmpty })
        #expect(notes.isEmpty)
    }

    @Test(
        "host-key checking, keepalives, timeouts and IdentitiesOnly map to the endpoint, with notes where they differ")
    func settings() throws {
        let config = try document(
            """
            Host a
              StrictHostKeyChecking no
              ServerAliveInterval 0
              ConnectTimeout 4
              IdentitiesOnly yes
              UserKnownHostsFile none
              ForwardAgent yes
            """)
        let (endpoint, notes) = try SSHEndpoint.fromSSHConfig(config, host: "a")
        #expect(endpoint.hostKeyPolicy == .acceptNew)
        #expect(endpoint.keepaliveInterval == nil)
        #expect(endpoint.connectTimeout == .seconds(4))
        #expect(endpoint.useAgent == false)
        #expect(endpoint.knownHostsFiles == ["/dev/null"])
        #expect(
            notes == [
                "a: StrictHostKeyChecking no is treated as accept-new (a changed key is still refused)",
                "a: config:7:3: ForwardAgent ignored: testbed does not use it",
            ])
        let plain = try SSHEndpoint.fromSSHConfig(config, host: "b").endpoint
        #expect(plain.hostKeyPolicy == .strict)
        #expect(plain.keepaliveInterval == .seconds(30))
    }

    @Test("a ProxyJump loop is refused, naming the chain")
    func loop() throws {
        let config = try document("Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n")
        #expect(throws: SSHEndpoint.ConfigProblem(host: "a", message: "ProxyJump loops: a → b → a")) {
            try SSHEndpoint.fromSSHConfig(config, host: "a")
        }
    }

    @Test("ProxyCommand becomes a command transport run by /bin/sh with the tokens expanded")
    func proxyCommand() throws {
        let config = try document("Host vm1\n  HostName 127.0.0.1\n  Port 2201\n  ProxyCommand nc %h %p\n")
        let endpoint = try SSHEndpoint.fromSSHConfig(config, host: "vm1").endpoint
        #expect(endpoint.transport == .command(executable: "/bin/sh", arguments: ["-c", "nc 127.0.0.1 2201"]))
    }
}
