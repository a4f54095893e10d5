import PlanModel
import Testing

@testable import Orchestrator

/// The commands a program logged against the documented ones; rt_tables lines compared in full.
@Suite struct CommandStreamTests {
    func documented(_ text: String, netns: NamespaceName? = nil) -> [NodeBlock] {
        let lines = text.split(separator: "\n").enumerated().map { index, line in
            ScriptLine(String(line), at: InputLocation(file: "doc.yaml", line: index + 10))
        }
        return [NodeBlock(node: "beta", netns: netns, lines: lines, location: InputLocation(file: "doc.yaml", line: 9))]
    }

    @Test("names are bound, silencing redirections dropped; what each side lacks and what moved is named")
    func differences() {
        let blocks = documented(
            """
            ip netns add entr02
            ip netns exec entr02 sysctl net.ipv4.ip_forward=1 &>/dev/null
            iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.10
            ip address del 10.0.0.10/32 dev eth1
            ip route del 10.0.0.0/29 table ntk
            ip route del 10.0.0.64/29 table ntk
            ip route del 10.0.0.16/29 table ntk
            """)
        let log = """
            some line of the program's own
            $ ip netns add ntkv0
            $ sysctl net.ipv4.ip_forward=1
            $ ip route del 10.0.0.0/29 table ntk
            $ ip route del 10.0.0.64/29 table ntk
            $ ip route del 10.0.0.16/29 table ntk
            $ iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.10
            $ ip address  del 10.0.0.10/32 dev eth1
            """
        let commands = CommandStreamJudgement.documented(blocks, binding: ConformanceBinding(["entr02": "ntkv0"]))
        let lines = CommandStreamJudgement.differences(
            documented: commands, ran: CommandStreamJudgement.logged(log), node: "beta")
        #expect(
            lines == [
                "commands on beta: documented `ip netns exec ntkv0 sysctl net.ipv4.ip_forward=1` (doc.yaml:11) was not run",
                "commands on beta: 2 commands, `iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.10` … "
                    + "`ip address del 10.0.0.10/32 dev eth1` (doc.yaml:12–13), ran in another order: documented after "
                    + "`ip netns exec ntkv0 sysctl net.ipv4.ip_forward=1`, run after `ip route del 10.0.0.16/29 table ntk`",
                "commands on beta: ran `sysctl net.ipv4.ip_forward=1`, not documented here (after `ip netns add ntkv0`)",
            ])
    }

    @Test("the same commands in the same order give nothing; a block's namespace is part of its commands")
    func same() {
        let blocks = documented("ip link set dev eth1 up", netns: NamespaceName("entr02"))
        let commands = CommandStreamJudgement.documented(blocks, binding: ConformanceBinding(["entr02": "ntkv0"]))
        #expect(commands.map(\.text) == ["ip netns exec ntkv0 ip link set dev eth1 up"])
        #expect(
            CommandStreamJudgement.differences(
                documented: commands, ran: ["ip netns exec ntkv0 ip link set dev eth1 up"], node: "beta"
            ).isEmpty)
    }

    @Test("a long stretch of commands only the program ran is one line with a count")
    func stretch() {
        let ran = (0..<12).map { "ip route change unreachable 10.0.0.\($0)/32 table ntk" }
        let lines = CommandStreamJudgement.differences(documented: [], ran: ran, node: "gamma")
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix("commands on gamma: ran 12 commands, not documented here: `ip route change"))
        #expect(lines[0].hasSuffix("and 7 more (see the service log)"))
    }

    @Test("every rt_tables line that differs is named, not only the first")
    func rtTables() {
        let documented = ["255 local", "250 reserved_ntk_from_250", "", "251 ntk # xxx_table_ntk_xxx"]
        let found = ["255 local", "250 ntk_from_00:16:3E:5B:78:D5"]
        let lines = ConformanceJudgement.lineDifferences(documented, found, node: "beta").map(\.description)
        #expect(
            lines == [
                "rt_tables line 2 on beta: expected '250 reserved_ntk_from_250', found '250 ntk_from_00:16:3E:5B:78:D5'",
                "documented rt_tables line 3 on beta: expected '', found nothing",
                "documented rt_tables line 4 on beta: expected '251 ntk # xxx_table_ntk_xxx', found nothing",
            ])
        #expect(ConformanceJudgement.lineDifferences(found, found, node: "beta").isEmpty)
    }

    @Test("a stop's answer says whether the program had ended before it was signalled")
    func stopAnswer() {
        #expect(ServiceStatus.stopAnswer("133 already") == ("133", true))
        #expect(ServiceStatus.stopAnswer("0") == ("0", false))
        #expect(ServiceStatus.stopAnswer("killed") == ("killed", false))
    }
}
