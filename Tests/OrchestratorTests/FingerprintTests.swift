import Testing

@testable import Orchestrator

@Suite("Fingerprint", .enabled(if: isSSHKeygenAvailable, "needs /usr/bin/ssh-keygen"))
struct FingerprintTests {
    @Test(
        "SHA256 fingerprints and type names equal ssh-keygen -lf on fresh keys",
        arguments: [("ed25519", nil), ("rsa", 2048), ("ecdsa", 256), ("ecdsa", 384), ("ecdsa", 521)] as [(String, Int?)]
    )
    func matchesSSHKeygen(type: String, bits: Int?) throws {
        let directory = try KnownHostsTemporaryDirectory()
        let key = try generateKey(type: type, bits: bits, in: directory, name: "key")
        let listed = try runTool("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", directory.file("key.pub")])
        // "256 SHA256:abc… test-key (ED25519)"
        let fields = listed.stdoutText.split(separator: " ")
        let hostKey = try hostKey(base64: key.base64)
        #expect(hostKey.type == key.type)
        #expect(hostKey.fingerprint == String(fields[1]))
        #expect("(\(hostKey.shortTypeName))\n" == String(try #require(fields.last)))
    }

    @Test("the fingerprint is SHA256: plus unpadded base64 of the SHA-256 digest")
    func format() {
        // SHA-256 of the empty input is e3b0c442…b855, whose base64 is 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=.
        #expect(HostKey.fingerprint(of: []) == "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
        let key = syntheticKey("ssh-ed25519", seed: 0)
        #expect(key.fingerprint.hasPrefix("SHA256:"))
        #expect(!key.fingerprint.hasSuffix("="))
        #expect(key.fingerprint.count == 7 + 43)
    }

    @Test("HMAC-SHA1 matches RFC 2202 test case 2")
    func hmac() {
        let digest = HostKeyCrypto.hmacSHA1(
            key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        let hex = digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        #expect(hex.joined() == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }
}
