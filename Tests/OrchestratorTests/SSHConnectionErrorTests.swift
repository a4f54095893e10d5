import Foundation
import Testing

@testable import Orchestrator

@Suite("SSH connection errors") struct SSHConnectionErrorTests {
    @Test("the text starts with node and address, then the cause, then the hint")
    func description() {
        let error = ConnectionError(
            code: .authenticationFailed, node: "alfa", address: "127.0.0.1:2222",
            message: "the server refused every key for user 'root'", hint: "authorize a key",
            cause: "tried: /k: refused by the server")
        #expect(
            error.description == """
                error: node 'alfa' (127.0.0.1:2222): the server refused every key for user 'root'
                cause: tried: /k: refused by the server
                hint: authorize a key
                """)
        var withoutCause = error
        withoutCause.cause = nil
        #expect(!withoutCause.description.contains("cause:"))
        #expect(error.code.description == "authenticationFailed")
        #expect(error.diagnostics.map(\.code) == ["connection.authenticationFailed"])
        #expect(error.category == .connection)
        #expect(error.code != .connectionLost)
    }

    @Test("endpoint addresses: host:port, [v6]:port, and a shortened proxy command")
    func addresses() {
        #expect(SSHEndpoint(transport: .tcp(host: "10.0.0.5", port: 22), user: "u").address == "10.0.0.5:22")
        #expect(SSHEndpoint(transport: .tcp(host: "::1", port: 2222), user: "u").address == "[::1]:2222")
        let short = SSHEndpoint(
            transport: .command(executable: "/usr/bin/nsenter", arguments: ["-t", "42"]), user: "u")
        #expect(short.address == "proxy command /usr/bin/nsenter -t 42")
        let long = SSHEndpoint(
            transport: .command(executable: "/usr/bin/nsenter", arguments: Array(repeating: "--argument", count: 20)),
            user: "u")
        #expect(long.address.count == "proxy command ".count + 80)
        #expect(long.address.hasSuffix("…"))
    }

    @Test("an endpoint survives a JSON round trip")
    func codable() throws {
        let endpoint = SSHEndpoint(
            transport: .command(executable: "nsenter", arguments: ["--target", "7"]), user: "root",
            identityFiles: ["~/.ssh/id_ed25519"], passphraseEnvironmentVariable: "TB_PASS", useAgent: false,
            knownHostsFiles: ["/lab/known_hosts"], hostKeyAlias: "tb-lab-alfa", hostKeyPolicy: .acceptNew,
            connectTimeout: .milliseconds(2500), keepaliveInterval: nil)
        let data = try JSONEncoder().encode(endpoint)
        #expect(try JSONDecoder().decode(SSHEndpoint.self, from: data) == endpoint)
    }
}
