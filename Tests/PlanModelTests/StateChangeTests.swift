import PlanModel
import Testing

@Suite("state changes between two states of a node") struct StateChangeTests {
    @Test("a system start and an identity list what they add, by namespace and table, with structured values")
    func additions() {
        let before = StateTestSupport.freshBeta()
        var after = before
        StateTestSupport.run(
            [
                "ip address add 169.254.96.141 dev eth1",
                #"(echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null"#,
                "ip rule add table ntk",
                "ip route add unreachable 10.0.0.0/29 table ntk",
                "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.10",
                "ip netns add entr02",
                "ip link add dev entr02_eth1 link eth1 type macvlan",
                "ip link set dev entr02_eth1 netns entr02",
                "ip netns exec entr02 ip link set dev entr02_eth1 up",
                "ip netns exec entr02 ip address add 169.254.215.29 dev entr02_eth1",
                "ip netns exec entr02 ip route add 169.254.94.223 dev entr02_eth1 src 169.254.215.29",
            ], on: &after)
        let changes = StateChange.between(before, after)
        let lines = changes.map(\.description)
        #expect(lines.contains("+ namespace: entr02"))
        #expect(lines.contains("+ address eth1: 169.254.96.141/32"))
        #expect(lines.contains("+ rule: 32765: from all lookup ntk"))
        #expect(lines.contains("+ route ntk: unreachable 10.0.0.0/29"))
        #expect(
            lines.contains("+ iptables nat POSTROUTING: -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to-source 10.0.0.10"))
        #expect(lines.contains("+ rt_tables: 251 ntk # xxx_table_ntk_xxx"))
        #expect(lines.contains("+ address entr02_eth1: 169.254.215.29/32 (netns entr02)"))
        #expect(
            lines.contains("+ route main: 169.254.94.223 dev entr02_eth1 scope link src 169.254.215.29 (netns entr02)"))
        // The macvlan left the default namespace for entr02: it goes from one and comes to the other.
        #expect(lines.contains { $0.hasPrefix("+ link: entr02_eth1 macvlan") && $0.hasSuffix("(netns entr02)") })
        let route = changes.first { $0.aspect == .route && $0.namespace == "entr02" && $0.table == "main" }?.route
        #expect(route?.destination.description == "169.254.94.223")
        #expect(route?.preferredSource?.description == "169.254.215.29")
        let address = changes.first { $0.aspect == .address && $0.namespace == nil }?.address
        #expect(address?.address.description == "169.254.96.141")
        // Nothing is listed that did not change.
        #expect(!lines.contains { $0.contains("lookup main") })
        #expect(StateChange.between(after, after).isEmpty)
    }

    @Test("removals come first; a namespace that goes is one line, not its whole contents")
    func removals() {
        var before = StateTestSupport.freshBeta()
        StateTestSupport.run(
            [
                "ip address add 169.254.96.141 dev eth1",
                "ip route add 169.254.94.223 dev eth1 src 169.254.96.141",
                "ip netns add entr02",
                "ip netns exec entr02 ip link set dev lo up",
            ], on: &before)
        var after = before
        StateTestSupport.run(
            [
                "ip route del 169.254.94.223 dev eth1 src 169.254.96.141", "ip netns del entr02",
                "ip route add 10.1.0.0/24 dev eth1",
            ],
            on: &after)
        let lines = StateChange.between(before, after).map(\.description)
        #expect(
            lines == [
                "- namespace: entr02",
                "- route main: 169.254.94.223 dev eth1 scope link src 169.254.96.141",
                "+ route main: 10.1.0.0/24 dev eth1 scope link",
            ])
    }
}
