import Testing

@testable import NodeAgentProtocol

@Suite struct BlockCompilerTests {
    let compiler = BlockCompiler(rewritesBuiltins: false)

    @Test("runs of simple ip lines become one ip -batch line; anything else ends the run")
    func batching() {
        let lines = [
            "ip address add 10.0.0.32 dev lo",
            "ip route add unreachable 10.0.0.0/29 table ntk",
            "# a comment",
            "ip route add unreachable 10.0.0.64/29 table ntk",
            #"(echo; echo "250 x") | tee -a /etc/iproute2/rt_tables >/dev/null"#,
            "ip route add 10.0.0.8/29 table 250 via 169.254.1.1 dev eth1",
            "ip netns exec entr02 ip route add 169.254.94.223 dev entr02_eth1 src 169.254.215.29",
            "ip -n entr02 link set dev entr02_eth1 up",
            "ip netns add foo",
            "sysctl net.ipv4.ip_forward=1 &>/dev/null",
        ]
        let compiled = compiler.compile(lines)
        #expect(
            compiled.script.split(separator: "\n").map(String.init) == [
                "ip -batch - <<< $'address add 10.0.0.32 dev lo\\nroute add unreachable 10.0.0.0/29 table ntk'",
                "# a comment",
                "ip route add unreachable 10.0.0.64/29 table ntk",
                lines[4],
                "ip route add 10.0.0.8/29 table 250 via 169.254.1.1 dev eth1",
                "ip -n entr02 -batch - <<< $'route add 169.254.94.223 dev entr02_eth1 src 169.254.215.29\\nlink set dev entr02_eth1 up'",
                "ip netns add foo",
                lines[9],
            ])
        #expect(compiled.batchedCommands == 4)
        #expect(compiled.batchCount == 2)
    }

    @Test("lines the shell would treat differently from ip's batch parser are never batched")
    func unsafeLinesStayAlone() {
        for line in [
            "ip route add $PREFIX table ntk", "ip route add 10.0.0.0/8 dev eth1 2>/dev/null",
            "ip -4 route add 10.0.0.0/8 dev lo",
            "ip route add \"10.0.0.0/8\" dev lo", "ip route add 10.0.0.0/8 dev lo; true", "ip netns exec x sysctl a=1",
            "ip netns del foo", "ip -n bad/name route add 10.0.0.0/8 dev lo", "ip route add 10.0.0.0/8 dev lo # why",
        ] {
            #expect(BlockCompiler.batchable(line) == nil, "\(line)")
        }
        let compiled = compiler.compile([
            "ip route add 10.0.0.0/8 dev lo", "ip route add $X dev lo", "ip link set lo up",
        ])
        #expect(compiled.batchCount == 0)
    }

    @Test("continuation lines and here-documents are kept whole and never batched")
    func multiLineCommands() {
        let lines = [
            "ip link set dev eth1 \\", "  up", "cat <<EOF", "ip route add 1.2.3.0/24 dev lo", "EOF",
            "ip link set lo up",
        ]
        let compiled = compiler.compile(lines)
        #expect(compiled.script == lines.joined(separator: "\n"))
    }

    @Test("a failure inside a batch maps back to the original line")
    func attribution() {
        let lines = [
            "true", "ip route add 10.1.0.0/24 dev lo", "ip route add 10.1.0.0/24 dev lo",
            "ip route add 10.2.0.0/24 dev lo",
        ]
        let compiled = compiler.compile(lines)
        #expect(compiled.segments.count == 2)
        let failed = compiled.originalLine(
            forCompiledLine: 2, stderr: "RTNETLINK answers: File exists\nCommand failed -:2\n")
        #expect(failed == CompiledBlock.Attribution(line: 3, exact: true, inBatch: true))
        #expect(
            compiled.originalLine(forCompiledLine: 1, stderr: "")
                == CompiledBlock.Attribution(line: 1, exact: true, inBatch: false))
        let inferred = compiled.originalLine(
            forCompiledLine: 2, stderr: "Error: any valid prefix is expected rather than \"10.2.0.0/24\".\n")
        #expect(inferred == CompiledBlock.Attribution(line: 4, exact: false, inBatch: true))
        let unknown = compiled.originalLine(forCompiledLine: 2, stderr: "Segmentation fault\n")
        #expect(unknown == CompiledBlock.Attribution(line: 2, exact: false, inBatch: true, range: 2...4))
    }
}
