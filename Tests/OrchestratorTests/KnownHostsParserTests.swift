import Testing

@testable import Orchestrator

@Suite("KnownHosts parser") struct KnownHostsParserTests {
    let ed = syntheticKey("ssh-ed25519", seed: 1)
    let rsa = syntheticKey("ssh-rsa", seed: 2)

    @Test("plain, marked, hashed, comment and blank lines parse with their line numbers")
    func parsesEntries() {
        let salt = [UInt8](repeating: 7, count: 20)
        let text = """
            # a comment
              
            alfa,10.0.0.1 \(ed.knownHostsText) root@alfa
            @revoked bravo \(rsa.knownHostsText)
            @cert-authority *.lab \(ed.knownHostsText)
            \(KnownHostsEntry.hashedHostField("charlie", salt: salt)) \(ed.knownHostsText)
            \t[10.0.0.2]:2222\t\(rsa.knownHostsText)

            """
        let file = KnownHostsFile(parsing: text, path: "kh")
        #expect(file.problems.isEmpty, "\(file.problems)")
        #expect(file.entries.map(\.location.line) == [3, 4, 5, 6, 7])
        #expect(file.entries.map(\.marker) == [.none, .revoked, .certificateAuthority, .none, .none])
        #expect(file.entries[0].hosts == .patterns([HostPattern("alfa"), HostPattern("10.0.0.1")]))
        #expect(file.entries[0].comment == "root@alfa")
        #expect(file.entries[0].key == ed)
        #expect(file.entries[1].key == rsa)
        #expect(file.entries[3].isHashed)
        #expect(file.entries[3].matches(hostName: "charlie"))
        #expect(file.usesHashing)
        #expect(file.lineCount == 7)
        #expect(file.endsWithNewline)
    }

    @Test("malformed lines are reported with file:line and skipped, later lines still count")
    func reportsMalformedLines() {
        let text = [
            "onlyhost",  // 1
            "alfa ssh-ed25519 !!notbase64!!",  // 2
            "alfa ssh-rsa \(Base64.encode(ed.blob))",  // 3: type field and blob disagree
            "@bogus alfa \(ed.knownHostsText)",  // 4
            "|1|c2hvcnQ=|c2hvcnQ= \(ed.knownHostsText)",  // 5: salt too short
            "|2|abc|def \(ed.knownHostsText)",  // 6: unknown hash format
            "alfa 1024 35 12345",  // 7: SSH-1 key
            "alfa,,bravo \(ed.knownHostsText)",  // 8: empty pattern
            "alfa ssh-ed25519 \(Base64.encode([1, 2, 3]))",  // 9: not a key blob
            "delta \(ed.knownHostsText)",  // 10: fine
        ].joined(separator: "\n")
        let file = KnownHostsFile(parsing: text, path: "/etc/kh")
        #expect(file.problems.map(\.location.line) == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(file.problems.allSatisfy { $0.location.file == "/etc/kh" })
        #expect(
            file.problems[0].description == "/etc/kh:1: expected 'hosts keytype base64-key [comment]', found 1 field(s)"
        )
        #expect(file.problems[1].message.contains("not valid base64"))
        #expect(file.problems[2].message.contains("'ssh-rsa' but the key itself is 'ssh-ed25519'"))
        #expect(file.problems[3].message.contains("unknown marker '@bogus'"))
        #expect(file.problems[4].message.contains("20-byte"))
        #expect(file.problems[5].message.contains("|1|salt|hash"))
        #expect(file.problems[6].message.contains("protocol 1"))
        #expect(file.problems[7].message.contains("empty pattern"))
        #expect(file.problems[8].message.contains("not an SSH public key blob"))
        #expect(file.entries.map(\.location.line) == [10])
        #expect(!file.endsWithNewline)
        #expect(file.lineCount == 10)
    }

    @Test("CRLF line endings are accepted")
    func crlf() {
        let file = KnownHostsFile(parsing: "alfa \(ed.knownHostsText)\r\nbravo \(rsa.knownHostsText)\r\n", path: "kh")
        #expect(file.problems.isEmpty)
        #expect(file.entries.map(\.key) == [ed, rsa])
    }

    @Test("base64 matches the RFC 4648 vectors and rejects bad input")
    func base64() {
        let vectors = [
            "": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=",
            "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
            #expect(Base64.decode(encoded.filter { $0 != "=" }) == Array(plain.utf8))
        }
        #expect(Base64.encode(Array("fo".utf8), padded: false) == "Zm8")
        for bad in ["Z", "Zm9v!", "Zm=9", "Zh==", "Z==="] { #expect(Base64.decode(bad) == nil, "\(bad)") }
    }
}
