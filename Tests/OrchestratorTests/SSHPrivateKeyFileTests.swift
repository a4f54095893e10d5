import Testing

@testable import Orchestrator

@Suite("SSH private key files", .enabled(if: isSSHKeygenAvailable, "needs /usr/bin/ssh-keygen"))
struct SSHPrivateKeyFileTests {
    @Test(
        "encryption and key type are read from fresh ssh-keygen files without decrypting",
        arguments: [
            (["-t", "ed25519"], "", PrivateKeyFile(protection: .plain, keyType: "ssh-ed25519")),
            (["-t", "ed25519"], "secret", PrivateKeyFile(protection: .encrypted, keyType: "ssh-ed25519")),
            (
                ["-t", "ecdsa", "-b", "384"], "secret",
                PrivateKeyFile(protection: .encrypted, keyType: "ecdsa-sha2-nistp384")
            ),
            (["-t", "rsa", "-b", "2048"], "", PrivateKeyFile(protection: .plain, keyType: "ssh-rsa")),
            (["-t", "rsa", "-b", "2048", "-m", "PEM"], "", PrivateKeyFile(protection: .plain, keyType: "ssh-rsa")),
            (
                ["-t", "rsa", "-b", "2048", "-m", "PEM"], "secret",
                PrivateKeyFile(protection: .encrypted, keyType: "ssh-rsa")
            ),
            (["-t", "ecdsa", "-m", "PKCS8"], "secret", PrivateKeyFile(protection: .encrypted, keyType: nil)),
        ] as [([String], String, PrivateKeyFile)])
    func classifies(arguments: [String], passphrase: String, expected: PrivateKeyFile) throws {
        let directory = try KnownHostsTemporaryDirectory()
        _ = try generateKey(
            type: arguments[1], in: directory, name: "key", passphrase: passphrase, extra: Array(arguments.dropFirst(2))
        )
        #expect(PrivateKeyFile(contents: try directory.read("key")) == expected)
    }

    @Test("text that is no private key is unrecognized")
    func unrecognized() {
        #expect(PrivateKeyFile(contents: "ssh-ed25519 AAAA comment").protection == .unrecognized)
        #expect(
            PrivateKeyFile(
                contents: "-----BEGIN OPENSSH PRIVATE KEY-----\nnotbase64!\n-----END OPENSSH PRIVATE KEY-----\n"
            ).protection == .unrecognized)
    }
}
