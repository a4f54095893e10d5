import Testing

@testable import Orchestrator

/// Cross-checks against OpenSSH's own tools on freshly generated keys.
@Suite("KnownHosts against ssh-keygen", .enabled(if: isSSHKeygenAvailable, "needs /usr/bin/ssh-keygen"))
struct KnownHostsOpenSSHTests {
    @Test("a line hashed by ssh-keygen -H matches the name, and only it")
    func hashedBySSHKeygen() throws {
        let directory = try KnownHostsTemporaryDirectory()
        let key = try generateKey(type: "ed25519", in: directory, name: "host")
        try directory.write("kh", "[10.1.2.3]:2222 \(key.type) \(key.base64)\nalfa.lab \(key.type) \(key.base64)\n")
        try runTool("/usr/bin/ssh-keygen", ["-H", "-f", directory.file("kh")])
        let file = KnownHostsFile(parsing: try directory.read("kh"), path: directory.file("kh"))
        #expect(file.problems.isEmpty, "\(file.problems)")
        #expect(file.entries.count == 2)
        #expect(file.entries.allSatisfy { $0.isHashed })
        let hostKey = try hostKey(base64: key.base64)
        let hosts = KnownHosts(files: [file])
        #expect(hosts.verdict(for: hostKey, hostName: "[10.1.2.3]:2222") == .trusted(file.entries[0]))
        #expect(hosts.verdict(for: hostKey, hostName: "Alfa.LAB") == .trusted(file.entries[1]))
        #expect(hosts.verdict(for: hostKey, hostName: "10.1.2.3") == .unknown)
    }

    @Test("a line hashed by testbed is found by ssh-keygen -F")
    func hashedByTestbed() throws {
        let directory = try KnownHostsTemporaryDirectory()
        let key = try generateKey(type: "ecdsa", bits: 384, in: directory, name: "host")
        let hostKey = try hostKey(base64: key.base64)
        let salt = try #require(HostKeyCrypto.randomBytes(20))
        try directory.write(
            "kh", KnownHosts.entryLine(for: hostKey, hostName: "[bravo]:2200", hashed: true, salt: salt) + "\n")
        let found = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-F", "[bravo]:2200", "-f", directory.file("kh")])
        #expect(found.status == .exited(0))
        #expect(found.stdoutText.contains(key.base64))
        let notFound = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-F", "bravo", "-f", directory.file("kh")])
        #expect(notFound.status != .exited(0))
    }

    @Test("accept-new appends plain to a plain file, hashed to a hashed one, after a missing final newline")
    func storeAppends() throws {
        let directory = try KnownHostsTemporaryDirectory()
        let key = try generateKey(type: "ed25519", in: directory, name: "host")
        let hostKey = try hostKey(base64: key.base64)
        let other = syntheticKey("ssh-rsa", seed: 5)

        try directory.write("plain", "# no newline at the end\nx \(other.knownHostsText)")
        let plainStore = KnownHostsStore(paths: [directory.file("plain")])
        let plainLocation = try plainStore.append(key: hostKey, hostName: "tb-lab-alfa", current: try plainStore.load())
        #expect(plainLocation == KnownHostsLocation(file: directory.file("plain"), line: 3))
        let plainText = try directory.read("plain")
        #expect(plainText.hasSuffix("x \(other.knownHostsText)\ntb-lab-alfa \(key.type) \(key.base64)\n"))
        let reloaded = try plainStore.load()
        #expect(reloaded.verdict(for: hostKey, hostName: "tb-lab-alfa") != .unknown)

        try directory.write("hashed", "x \(other.knownHostsText)\n")
        try runTool("/usr/bin/ssh-keygen", ["-H", "-f", directory.file("hashed")])
        let hashedStore = KnownHostsStore(paths: [directory.file("hashed")])
        _ = try hashedStore.append(key: hostKey, hostName: "[127.0.0.1]:2022", current: try hashedStore.load())
        let lines = try directory.read("hashed").split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix("|1|") == true)
        let found = try ProcessRunner.run(
            "/usr/bin/ssh-keygen", ["-F", "[127.0.0.1]:2022", "-f", directory.file("hashed")])
        #expect(found.stdoutText.contains(key.base64))

        let missingStore = KnownHostsStore(paths: [directory.file("new_known_hosts")])
        let location = try missingStore.append(key: hostKey, hostName: "alfa", current: try missingStore.load())
        #expect(location.line == 1)
        let created = try directory.read("new_known_hosts")
        #expect(created == "alfa \(key.type) \(key.base64)\n")
    }
}
