import Testing

@testable import NodeAgentProtocol

@Suite struct IptablesBatchTests {
    let compiler = BlockCompiler()

    @Test("a run of iptables rule lines of one table becomes one iptables-restore with the lines as fallback")
    func restoreWithFallback() {
        let lines = [
            "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.26",
            "iptables -t nat -D PREROUTING -d 10.0.0.76/31 -j NETMAP --to 10.0.0.12/31",
            "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250",
            "ip netns exec migr01 iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:FD:E2:AA -j MARK --set-mark 249",
            "ip netns exec migr01 iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:3C:14:33 -j MARK --set-mark 248",
            "iptables -t mangle -D PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250",
        ]
        let compiled = compiler.compile(lines)
        #expect(
            compiled.script.split(separator: "\n").map(String.init) == [
                "if ! iptables-restore --noflush <<< $'*nat\\n-A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.26\\n"
                    + "-D PREROUTING -d 10.0.0.76/31 -j NETMAP --to 10.0.0.12/31\\nCOMMIT' 2>/dev/null; then",
                lines[0], lines[1], "fi",
                lines[2],
                "if ! ip netns exec migr01 iptables-restore --noflush <<< $'*mangle\\n"
                    + "-A PREROUTING -m mac --mac-source 00:16:3E:FD:E2:AA -j MARK --set-mark 249\\n"
                    + "-A PREROUTING -m mac --mac-source 00:16:3E:3C:14:33 -j MARK --set-mark 248\\nCOMMIT' 2>/dev/null; then",
                lines[3], lines[4], "fi",
                lines[5],
            ])
        #expect(compiled.iptablesBatchCount == 2)
        #expect(compiled.iptablesBatchedCommands == 4)
        #expect(compiled.batchCount == 0)
        // A failure reported inside a fallback is the original line, alone (its own status and message).
        #expect(compiled.originalLine(forCompiledLine: 3, stderr: "") == .init(line: 2, exact: true, inBatch: false))
        #expect(compiled.originalLine(forCompiledLine: 5, stderr: "") == .init(line: 3, exact: true, inBatch: false))
        #expect(compiled.originalLine(forCompiledLine: 8, stderr: "") == .init(line: 5, exact: true, inBatch: false))
        #expect(compiled.originalLine(forCompiledLine: 10, stderr: "") == .init(line: 6, exact: true, inBatch: false))
        #expect(compiled.originalLine(forCompiledLine: 11, stderr: "") == nil)
    }

    @Test("listing, -C, a second table option, program options and shell syntax keep an iptables line alone")
    func linesLeftAlone() {
        for line in [
            "iptables -t nat -C POSTROUTING -j ACCEPT", "iptables -L", "iptables -t nat -S",
            "iptables -w -A INPUT -j ACCEPT",
            "iptables -A INPUT -t nat -j ACCEPT", "iptables -t bogus -A INPUT -j ACCEPT",
            "iptables -A INPUT -j ACCEPT -v",
            "iptables -A INPUT -j LOG --log-prefix \"x\"", "iptables -A INPUT -s $SRC -j DROP",
            "iptables -A INPUT -j DROP 2>/dev/null", "iptables -A INPUT -j DROP && true", "iptables -A INPUT -D INPUT",
            "ip netns exec bad/ns iptables -A INPUT -j DROP", "ip6tables -A INPUT -j DROP", "iptables -t nat",
            "iptables-restore --noflush",
        ] {
            #expect(IptablesBatch.candidate(line) == nil, "\(line)")
        }
        #expect(IptablesBatch.candidate("iptables -A INPUT -j ACCEPT")?.table == "filter")
        #expect(
            IptablesBatch.candidate("iptables -t raw -I PREROUTING 1 -j CT --notrack")?.restoreLine
                == "-I PREROUTING 1 -j CT --notrack")
        #expect(IptablesBatch.candidate("iptables -t raw -N mine") == nil)
    }

    @Test("a change of table, of namespace, or any other line ends a run; single lines stay verbatim")
    func runBoundaries() {
        let compiled = compiler.compile([
            "iptables -t nat -A POSTROUTING -j ACCEPT", "iptables -t mangle -A PREROUTING -j ACCEPT",
            "iptables -t mangle -A PREROUTING -j RETURN", "ip route add 10.0.0.0/8 dev lo",
            "iptables -t mangle -A PREROUTING -j RETURN", "ip netns exec a iptables -t mangle -F",
        ])
        #expect(compiled.iptablesBatchCount == 1)
        #expect(compiled.iptablesBatchedCommands == 2)
        #expect(
            compiled.segments == [
                .verbatim(line: 1),
                .iptablesBatch(
                    namespace: nil, table: "mangle", lines: [2, 3],
                    rules: ["-A PREROUTING -j ACCEPT", "-A PREROUTING -j RETURN"]),
                .verbatim(line: 4), .verbatim(line: 5), .verbatim(line: 6),
            ])
        let off = BlockCompiler(batchesIptables: false).compile(["iptables -F", "iptables -X"])
        #expect(off.iptablesBatchCount == 0)
        #expect(off.script == "iptables -F\niptables -X")
    }
}
