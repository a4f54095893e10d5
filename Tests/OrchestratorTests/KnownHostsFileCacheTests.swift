import Testing

@testable import Orchestrator

@Suite("KnownHosts file cache") struct KnownHostsFileCacheTests {
    let first = syntheticKey("ssh-ed25519", seed: 1)
    let second = syntheticKey("ssh-ed25519", seed: 2)

    @Test("an unchanged file is parsed once however many sessions load it")
    func unchangedFileParsedOnce() throws {
        let directory = try KnownHostsTemporaryDirectory()
        try directory.write("known_hosts", "alfa \(first.knownHostsText)\nbravo \(second.knownHostsText)\n")
        let cache = KnownHostsFileCache()
        let store = KnownHostsStore(paths: [directory.file("known_hosts")])
        for _ in 0..<50 {
            let hosts = try store.load(cache: cache)
            #expect(hosts.verdict(for: first, hostName: "alfa") == .trusted(hosts.entries[0]))
        }
        #expect(cache.parses == 1)
    }

    @Test("a key changed in place (same length, same path) is seen at the next load")
    func changedFileIsParsedAgain() throws {
        let directory = try KnownHostsTemporaryDirectory()
        let store = KnownHostsStore(paths: [directory.file("known_hosts")])
        let cache = KnownHostsFileCache()
        try directory.write("known_hosts", "alfa \(first.knownHostsText)\n")
        let before = try store.load(cache: cache)
        #expect(before.verdict(for: first, hostName: "alfa") == .trusted(before.entries[0]))
        try directory.write("known_hosts", "alfa \(second.knownHostsText)\n")
        let after = try store.load(cache: cache)
        #expect(after.verdict(for: first, hostName: "alfa") == .changed(known: after.entries))
        #expect(after.verdict(for: second, hostName: "alfa") == .trusted(after.entries[0]))
        try directory.write("known_hosts", "@revoked alfa \(second.knownHostsText)\n")
        let revoked = try store.load(cache: cache)
        #expect(revoked.verdict(for: second, hostName: "alfa") == .revoked(revoked.entries[0]))
        #expect(cache.parses == 3)
    }

    @Test("patterns without wildcards match exactly, byte for byte, ignoring ASCII case")
    func plainPatternsMatchExactly() {
        let patterns = [HostPattern("tb-lab-n1"), HostPattern("10.0.0.1")]
        #expect(HostPattern.listMatches(patterns, name: "tb-lab-n1"))
        #expect(HostPattern.listMatches(patterns, name: "TB-Lab-N1"))
        #expect(!HostPattern.listMatches(patterns, name: "tb-lab-n10"))
        #expect(!HostPattern.listMatches(patterns, name: "tb-lab-n"))
        #expect(HostPattern.listMatches([HostPattern("tb-lab-n?")], name: "tb-lab-n1"))
        #expect(!HostPattern.listMatches([HostPattern("caf\u{E9}")], name: "cafe\u{301}"))
        #expect(HostPattern.listMatches([HostPattern("CAF\u{C9}")], name: "caf\u{C9}"))
    }
}
