import PlanModel
import Testing

@Suite("reset: the commands from the state a run left to the state at its first connect")
struct ResetPlannerTests {
    static let topology = """
        name: t
        nodes:
          beta:
            interfaces: {eth1: {mac: "00:16:3E:EC:A3:E1"}}
        """

    static func states(after commands: [String]) throws -> (before: NodeState, after: NodeState) {
        let parsed = try TopologyLoader.parse(text: topology, path: "t.yaml")
        var before = NodeState.freshLabNode(try #require(parsed.nodes.values.first))
        _ = StateModel.run("ip link set dev eth1 up", on: &before)
        _ = StateModel.run("ip address add 169.254.96.141/16 dev eth1", on: &before)
        before.namespaces[""]?.sysctls["net.ipv4.ip_forward"] = "0"
        var after = before
        for command in commands { _ = StateModel.run(command, on: &after) }
        return (before, after)
    }

    @Test("what a system start adds is removed, what it changed is restored, in an order that applies")
    func systemStart() throws {
        let (before, after) = try Self.states(after: [
            "sysctl net.ipv4.ip_forward=1", "ip address add 10.0.0.32 dev lo",
            "(echo; echo \"251 ntk # xxx_table_ntk_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null",
            "ip rule add table ntk", "ip route add unreachable 10.0.0.0/29 table ntk",
            "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.22",
            "ip netns add entr02", "ip link add dev mv0 link eth1 type macvlan",
        ])
        var current = after
        current.namespaces[""]?.sysctls["net.ipv4.ip_forward"] = "1"
        let plan = ResetPlanner.plan(from: current, to: before)
        let bare = plan.commands.map { $0.components(separatedBy: " || echo ").first ?? $0 }
        #expect(
            bare == [
                "ip netns delete entr02",
                "iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to-source 10.0.0.22",
                "ip rule del priority 32765 from all lookup 251",
                "ip route del unreachable 10.0.0.0/29 table 251",
                "ip link delete dev mv0",
                "ip address del 10.0.0.32/32 dev lo",
                "sysctl -q -w net.ipv4.ip_forward=0",
                "printf '%s' '\(before.rtTables.text)' > /etc/iproute2/rt_tables",
            ], "\(bare)")
        #expect(plan.commands.first == "ip netns delete entr02 || echo 'failed: ip netns delete entr02' >&2")
        #expect(plan.impossible == [])
    }

    @Test("an address or route the run removed is put back; a NIC that went away is said to be beyond repair")
    func putBack() throws {
        let (before, _) = try Self.states(after: [])
        var target = before
        _ = StateModel.run("ip route add 10.9.0.0/16 dev eth1", on: &target)
        var current = before
        _ = StateModel.run("ip address del 169.254.96.141/16 dev eth1", on: &current)
        let plan = ResetPlanner.plan(from: current, to: target)
        let bare = plan.commands.map { $0.components(separatedBy: " || echo ").first ?? $0 }
        #expect(
            bare == [
                "ip address add 169.254.96.141/16 dev eth1", "ip route add 10.9.0.0/16 dev eth1 scope link table 254",
            ])
        var gone = current
        gone.namespaces[""]?.links.removeAll { $0.name == "eth1" }
        #expect(
            ResetPlanner.plan(from: gone, to: target).impossible == [
                "eth1 (ethernet) is gone and cannot be made again as it was"
            ])
    }

    @Test("a state already equal to the kept one needs no command")
    func nothingToDo() throws {
        let (before, _) = try Self.states(after: [])
        #expect(ResetPlanner.plan(from: before, to: before).commands == [])
    }
}
