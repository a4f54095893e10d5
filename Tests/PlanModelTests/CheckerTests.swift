import PlanModel
import Testing

@Suite("check, per-block probes and comparison, replay synthesis, schedule equivalence")
struct CheckerTests {
    static let topologyText = """
        name: t
        nodes:
          beta:
            interfaces: {eth1: {mac: "00:16:3E:EC:A3:E1"}}
          gamma:
            interfaces: {eth1: {mac: "00:16:3E:5B:78:D5"}}
        links:
          - endpoints: ["beta:eth1", "gamma:eth1"]
        """

    static func topology() throws -> Topology { try TopologyLoader.parse(text: topologyText, path: "t.yaml") }

    static func plan(_ text: String) throws -> Plan {
        try PlanLoader.parse(text: text, path: "plan.yaml", topology: try topology())
    }

    static let wrongPlan = """
        steps:
          - id: start
            node: beta
            run: |
              ip address add 169.254.96.141 dev eth1
              (echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
              ip route add unreachable 10.0.0.0/29 table ntk
          - id: etp
            node: beta
            run: |
              ip route add 169.254.94.223 dev eth1 src 169.254.96.141
              ip route change 10.0.0.8/29 table ntk via 169.254.94.223 dev eth1
              ip route change 10.0.0.0/29 table ntk via 169.254.94.223 dev eth1
          - id: gw
            node: gamma
            run: |
              ip address add 169.254.94.223 dev eth1
              ip route add 10.0.0.0/29 via 169.254.96.141 dev eth1
        """

    @Test("injected wrong commands are caught offline with their exact line, and set -e skips the rest")
    func injectedErrors() throws {
        let report = PlanChecker(topology: try Self.topology()).check(try Self.plan(Self.wrongPlan))
        #expect(report.failures.count == 2)
        #expect(
            report.failures.map(\.description) == [
                """
                plan.yaml:12: error: beta, step 'etp': ip route change 10.0.0.8/29 table ntk via 169.254.94.223 dev eth1 would fail:
                    route 10.0.0.8/29 does not exist in table ntk (251) of the default namespace
                    (the command would print: RTNETLINK answers: No such file or directory)
                    1 later command of the block would not run (set -e)
                """,
                """
                plan.yaml:18: error: gamma, step 'gw': ip route add 10.0.0.0/29 via 169.254.96.141 dev eth1 would fail:
                    gateway 169.254.96.141 is not reachable on link through eth1 in the default namespace (no link-scope route or local address covers it)
                    (the command would print: Error: Nexthop has invalid gateway.)
                """,
            ])
        #expect(report.notModelled.isEmpty)
    }

    @Test("probes: only the namespaces and kinds a block touches")
    func probes() throws {
        var state = NodeState.freshLabNode(try #require(try Self.topology().nodes["beta"]))
        _ = StateModel.run("ip netns add migr01", on: &state)
        func probes(_ text: String, netns: NamespaceName? = nil) -> [String] {
            let lines = text.split(separator: "\n").map {
                ScriptLine(String($0), at: InputLocation(file: "b", line: 1))
            }
            let block = NodeBlock(node: "beta", netns: netns, lines: lines, location: InputLocation(file: "b", line: 1))
            return StateModel.predict(block: block, from: state).probes.map(\.description)
        }
        #expect(probes("ip netns exec migr01 ip route add unreachable 10.0.0.0/29 table 77") == ["routes@migr01"])
        #expect(probes("ip route add unreachable 10.0.0.0/29 table 77", netns: "migr01") == ["routes@migr01"])
        #expect(probes("ip address add 10.0.0.32 dev lo") == ["routes", "addresses"])
        #expect(probes("ip rule add table 77\nping -c 1 10.0.0.1") == ["rules"])
        #expect(probes("ip -n migr01 rule add table 77") == ["rules@migr01"])
        #expect(probes("iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29") == ["iptables:nat"])
        #expect(
            probes("ip netns exec migr01 sysctl net.ipv4.conf.all.rp_filter=0") == [
                "sysctl:net.ipv4.conf.all.rp_filter@migr01"
            ])
        #expect(probes("(echo; echo \"250 x\") | tee -a /etc/iproute2/rt_tables >/dev/null") == ["rtTables"])
        #expect(
            probes("ip link add dev m link eth1 type macvlan\nip link set dev m netns migr01") == [
                "routes", "addresses", "addresses@migr01",
            ])
        #expect(probes("ip netns del migr01") == ["namespaces"])
    }

    @Test("comparison: found state against prediction, in the words of the issue")
    func comparison() throws {
        var predicted = NodeState.freshLabNode(try #require(try Self.topology().nodes["beta"]))
        _ = StateModel.run(
            "(echo; echo \"249 ntk_from_00:16:3E:EC:A3:E1 # x\") | tee -a /etc/iproute2/rt_tables >/dev/null",
            on: &predicted)
        var found = predicted
        _ = StateModel.run("ip route add 169.254.94.223 dev eth1", on: &predicted)
        _ = StateModel.run("ip route add 169.254.94.223 dev eth1", on: &found)
        _ = StateModel.run(
            "ip route add 10.0.0.20/31 table ntk_from_00:16:3E:EC:A3:E1 via 169.254.94.223 dev eth1", on: &predicted)
        _ = StateModel.run("ip route add unreachable 10.0.0.20/31 table ntk_from_00:16:3E:EC:A3:E1", on: &found)
        _ = StateModel.run("ip rule add table 77", on: &found)
        _ = StateModel.run("sysctl net.ipv4.ip_forward=1", on: &predicted)
        _ = StateModel.run("sysctl net.ipv4.ip_forward=0", on: &found)
        let probes = [StateProbe(.routes), StateProbe(.rules), StateProbe(.sysctl(["net.ipv4.ip_forward"]))]
        #expect(
            StateComparison.differences(predicted: predicted, observed: found, probes: probes).map(\.description) == [
                "table ntk_from_00:16:3E:EC:A3:E1 on beta: expected 10.0.0.20/31 via 169.254.94.223 dev eth1, found unreachable",
                "rules on beta: expected nothing, found 32765: from all lookup 77",
                "sysctl net.ipv4.ip_forward on beta: expected 1, found 0",
            ])
        // Adopting the found state makes the model agree with the node again.
        let adopted = predicted.adopting(found, probes: probes, everything: true)
        #expect(StateComparison.differences(predicted: adopted, observed: found, probes: probes).isEmpty)
    }

    @Test("replay synthesis: commands that create the prior state, which then lets the plan run clean")
    func synthesis() throws {
        let plan = try Self.plan(
            """
            steps:
              - id: middle
                node: beta
                run: |
                  ip netns exec migr01 ip route change 10.0.0.20/31 table ntk_from_00:16:3E:5B:78:D5 via 169.254.94.223 dev migr01_eth1
                  ip rule del fwmark 250 table ntk_from_00:16:3E:5B:78:D5
                  iptables -t mangle -D PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250
                  sed -i '/xxx_table_ntk_from_00:16:3E:1A:C4:45_xxx/d' /etc/iproute2/rt_tables
            """)
        let topology = try Self.topology()
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(plan)
        #expect(
            synthesis.script(for: "beta").split(separator: "\n").map(String.init) == [
                "ip netns add migr01",
                "(echo; echo \"250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null",
                "ip link add dev migr01_eth1 link eth1 type macvlan",
                "ip link set dev migr01_eth1 netns migr01",
                "ip netns exec migr01 ip link set dev migr01_eth1 up",
                "ip netns exec migr01 ip route add 169.254.94.223 dev migr01_eth1",
                "ip netns exec migr01 ip route add unreachable 10.0.0.20/31 table ntk_from_00:16:3E:5B:78:D5",
                "ip rule add fwmark 0xfa lookup ntk_from_00:16:3E:5B:78:D5",
                "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xfa/0xffffffff",
                "(echo; echo \"249 ntk_from_00:16:3E:1A:C4:45 # xxx_table_ntk_from_00:16:3E:1A:C4:45_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null",
            ])
        #expect(synthesis.unresolved.isEmpty)
        #expect(synthesis.summary.contains("netns migr01  — needed by plan.yaml:5"))
        let report = PlanChecker(topology: topology, initialStates: synthesis.states).check(plan)
        #expect(report.findings.isEmpty, "\(report.findings)")
        // The synthesised commands, run through the model from a fresh node, give the synthesised state.
        var rebuilt = NodeState.freshLabNode(try #require(topology.nodes["beta"]))
        for item in synthesis.items["beta"] ?? [] { #expect(StateModel.run(item.command, on: &rebuilt) == .success) }
        #expect(rebuilt == synthesis.states["beta"])
    }

    @Test("schedule: per-node order kept → equivalent; a failing or unknown command → not shown, with the reason")
    func schedule() throws {
        let topology = try Self.topology()
        let good = try Self.plan(
            """
            steps:
              - {id: a, node: beta, run: "ip address add 169.254.96.141 dev eth1"}
              - {id: b, node: gamma, run: "ip address add 169.254.94.223 dev eth1"}
              - {id: c, node: beta, run: "ip route add 169.254.94.223 dev eth1 src 169.254.96.141"}
            """)
        let schedule = try Schedule.make(for: good, mode: .parallel)
        #expect(schedule.stages.count == 1)
        #expect(ScheduleEquivalence.check(good, schedule: schedule, topology: topology).isEquivalent)
        var swapped = schedule
        swapped.stages[0].units.reverse()
        #expect(!ScheduleEquivalence.check(good, schedule: swapped, topology: topology).isEquivalent)
        let bad = try Self.plan(
            """
            steps:
              - {id: a, node: beta, run: "qspnclient init"}
              - {id: b, node: gamma, run: "ip route del 10.0.0.0/8"}
            """)
        let verdict = ScheduleEquivalence.check(
            bad, schedule: try Schedule.make(for: bad, mode: .parallel), topology: topology)
        #expect(!verdict.isEquivalent)
        #expect(verdict.reasons.count == 2)
        #expect(verdict.reasons[0].hasPrefix("beta: plan.yaml:2: 'qspnclient init' is not modelled"))
    }
}
