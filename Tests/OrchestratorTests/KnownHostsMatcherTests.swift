import Testing

@testable import Orchestrator

@Suite("KnownHosts matcher") struct KnownHostsMatcherTests {
    let ed = syntheticKey("ssh-ed25519", seed: 1)
    let otherEd = syntheticKey("ssh-ed25519", seed: 9)
    let ecdsa = syntheticKey("ecdsa-sha2-nistp256", seed: 3)

    func knownHosts(_ lines: [String], path: String = "kh") -> KnownHosts {
        KnownHosts(files: [KnownHostsFile(parsing: lines.joined(separator: "\n") + "\n", path: path)])
    }

    @Test("lookup names: plain for port 22, [host]:port otherwise, the alias wins")
    func lookupNames() {
        #expect(KnownHosts.lookupName(host: "alfa.lab", port: 22, alias: nil) == "alfa.lab")
        #expect(KnownHosts.lookupName(host: "10.0.0.1", port: 2222, alias: nil) == "[10.0.0.1]:2222")
        #expect(KnownHosts.lookupName(host: "10.0.0.1", port: 2222, alias: "tb-lab-alfa") == "tb-lab-alfa")
        let endpoint = SSHEndpoint(transport: .command(executable: "/bin/true", arguments: []), user: "root")
        #expect(endpoint.hostKeyLookupName(nodeName: "alfa") == "alfa")
    }

    @Test("plain names and comma lists match case-insensitively; [host]:port is its own name")
    func plainAndPorts() {
        let hosts = knownHosts(["alfa,10.0.0.1 \(ed.knownHostsText)", "[10.0.0.2]:2222 \(ed.knownHostsText)"])
        #expect(hosts.verdict(for: ed, hostName: "alfa") == .trusted(hosts.entries[0]))
        #expect(hosts.verdict(for: ed, hostName: "ALFA") == .trusted(hosts.entries[0]))
        #expect(hosts.verdict(for: ed, hostName: "10.0.0.1") == .trusted(hosts.entries[0]))
        #expect(hosts.verdict(for: ed, hostName: "[10.0.0.1]:2222") == .unknown)
        #expect(hosts.verdict(for: ed, hostName: "[10.0.0.2]:2222") == .trusted(hosts.entries[1]))
        #expect(hosts.verdict(for: ed, hostName: "10.0.0.2") == .unknown)
        #expect(hosts.verdict(for: ed, hostName: "alfa2") == .unknown)
    }

    @Test("wildcards * and ? follow OpenSSH's match_pattern")
    func wildcards() {
        let cases: [(pattern: String, name: String, matches: Bool)] = [
            ("*.lab", "alfa.lab", true), ("*.lab", "alfa.lab.org", false), ("*.lab", "lab", false),
            ("10.0.0.?", "10.0.0.5", true), ("10.0.0.?", "10.0.0.15", false), ("*", "anything", true),
            ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false), ("[10.0.0.*]:2222", "[10.0.0.7]:2222", true),
            ("[10.0.0.*]:2222", "[10.0.0.7]:22", false), ("**x", "x", true), ("?", "", false),
        ]
        for item in cases {
            #expect(
                HostPattern.listMatches([HostPattern(Substring(item.pattern))], name: item.name) == item.matches,
                "\(item.pattern) vs \(item.name)")
        }
    }

    @Test("a negated pattern excludes a name even when another pattern includes it")
    func negation() {
        let hosts = knownHosts(["*.lab,!bad.lab \(ed.knownHostsText)", "!lonely \(ed.knownHostsText)"])
        #expect(hosts.verdict(for: ed, hostName: "good.lab") == .trusted(hosts.entries[0]))
        #expect(hosts.verdict(for: ed, hostName: "bad.lab") == .unknown)
        #expect(hosts.verdict(for: ed, hostName: "BAD.lab") == .unknown)
        #expect(hosts.verdict(for: ed, hostName: "somewhere") == .unknown, "a lone negation matches nothing")
    }

    @Test("a different key of the same type is a change; only other types known is reported apart")
    func changedKeys() {
        let hosts = knownHosts(["alfa \(otherEd.knownHostsText)", "bravo \(ecdsa.knownHostsText)"], path: "/k")
        #expect(hosts.verdict(for: ed, hostName: "alfa") == .changed(known: [hosts.entries[0]]))
        #expect(hosts.verdict(for: ed, hostName: "bravo") == .otherTypesKnown(known: [hosts.entries[1]]))
        #expect(hosts.knownKeyTypes(for: "bravo") == ["ecdsa-sha2-nistp256"])
        #expect(hosts.entries[0].location.description == "/k:1")
    }

    @Test("@revoked refuses the key even when a plain line trusts it; @cert-authority lines are ignored")
    func markers() {
        let hosts = knownHosts([
            "alfa \(ed.knownHostsText)", "@revoked * \(ed.knownHostsText)",
            "@cert-authority bravo \(ed.knownHostsText)",
        ])
        #expect(hosts.verdict(for: ed, hostName: "alfa") == .revoked(hosts.entries[1]))
        #expect(hosts.verdict(for: otherEd, hostName: "alfa") == .changed(known: [hosts.entries[0]]))
        #expect(hosts.verdict(for: otherEd, hostName: "bravo") == .unknown)
    }

    @Test("entries from several files are judged together, with each file's own locations")
    func severalFiles() {
        let hosts = KnownHosts(files: [
            KnownHostsFile(parsing: "# user file\n", path: "/home/u/.ssh/known_hosts"),
            KnownHostsFile(parsing: "x \(ecdsa.knownHostsText)\nalfa \(ed.knownHostsText)\n", path: "/lab/kh"),
        ])
        guard case .trusted(let entry) = hosts.verdict(for: ed, hostName: "alfa") else {
            Issue.record("expected a trusted verdict")
            return
        }
        #expect(entry.location == KnownHostsLocation(file: "/lab/kh", line: 2))
    }

    @Test("new entry lines are plain or hashed, and a hashed one matches only its name")
    func entryLines() {
        let salt = [UInt8](repeating: 42, count: 20)
        #expect(
            KnownHosts.entryLine(for: ed, hostName: "tb-x-alfa", hashed: false, salt: [])
                == "tb-x-alfa \(ed.knownHostsText)")
        let hashed = KnownHosts.entryLine(for: ed, hostName: "[10.0.0.1]:2222", hashed: true, salt: salt)
        #expect(hashed.hasPrefix("|1|" + Base64.encode(salt) + "|"))
        let file = KnownHostsFile(parsing: hashed, path: "kh")
        #expect(file.entries.count == 1)
        #expect(file.entries.first?.matches(hostName: "[10.0.0.1]:2222") == true)
        #expect(file.entries.first?.matches(hostName: "10.0.0.1") == false)
    }
}
