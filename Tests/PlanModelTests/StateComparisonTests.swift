import PlanModel
import Testing

@Suite("comparison of predicted and found state, and adopting the found state")
struct StateComparisonTests {
    typealias S = StateTestSupport

    /// The same fresh node twice, each changed by its own commands.
    static func pair(predicted: [String], found: [String]) -> (NodeState, NodeState) {
        var expected = S.freshBeta()
        var observed = S.freshBeta()
        S.run(["ip netns add ns1"], on: &expected)
        S.run(["ip netns add ns1"], on: &observed)
        S.run(predicted, on: &expected)
        S.run(found, on: &observed)
        return (expected, observed)
    }

    static let everyProbe = [
        StateProbe(.namespaces), StateProbe(.rtTables), StateProbe(.routes), StateProbe(.rules),
        StateProbe(.addresses), StateProbe(.iptables), StateProbe(.sysctl(["net.ipv4.ip_forward"])),
        StateProbe(.addresses, namespace: "ns1"), StateProbe(.routes, namespace: "ns1"),
    ]

    @Test("links: missing, extra, up or down, MAC, kind, addresses each give one line, in order")
    func links() {
        let (predicted, found) = Self.pair(
            predicted: [
                "ip link add dev m1 link eth1 type macvlan", "ip link set dev m1 address 00:16:3E:00:00:01",
                "ip link set dev m1 up", "ip address add 10.1.0.1/24 dev m1", "ip address add 10.1.0.2/32 dev eth1",
                "ip link add dev gone link eth1 type macvlan",
            ],
            found: [
                "ip link add dev m1 link eth1 type macvlan", "ip link set dev m1 address 00:16:3E:00:00:02",
                "ip address add 10.1.0.1/25 dev m1", "ip link add dev extra type veth peer name extra2",
                "ip address add 10.1.0.3/32 dev eth1",
            ])
        let differences = StateComparison.differences(
            predicted: predicted, observed: found, probes: [StateProbe(.addresses)])
        #expect(
            differences.map(\.description) == [
                "link eth1 on beta: expected address 10.1.0.2/32, found nothing",
                "link eth1 on beta: expected nothing, found address 10.1.0.3/32",
                "link m1 on beta: expected up, found down",
                "link m1 on beta: expected MAC 00:16:3E:00:00:01, found MAC 00:16:3E:00:00:02",
                "link m1 on beta: expected address 10.1.0.1/24, found nothing",
                "link m1 on beta: expected nothing, found address 10.1.0.1/25",
                "link gone on beta: expected macvlan down, found nothing",
                "link extra on beta: expected nothing, found veth down",
                "link extra2 on beta: expected nothing, found veth down",
            ])
    }

    @Test("routes are compared per table and destination; rules and iptables as lists; order differences named")
    func routesRulesIptables() {
        let (predicted, found) = Self.pair(
            predicted: [
                "ip route add unreachable 10.0.0.0/29 table 77", "ip route add blackhole 10.0.0.8/29 table 77",
                "ip route add unreachable 10.0.0.16/29", "ip rule add pref 100 table 77",
                "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29",
                "iptables -A INPUT -i eth1 -j DROP", "iptables -A INPUT -i lo -j ACCEPT",
            ],
            found: [
                "ip route add unreachable 10.0.0.0/29 table 77", "ip route add prohibit 10.0.0.8/29 table 77",
                "ip route add unreachable 10.0.0.24/29 metric 5", "ip rule add pref 101 table 77",
                "iptables -t mangle -A OUTPUT -j MARK --set-mark 1",
                "iptables -A INPUT -i lo -j ACCEPT", "iptables -A INPUT -i eth1 -j DROP",
            ])
        let probes = [StateProbe(.routes), StateProbe(.rules), StateProbe(.iptables)]
        #expect(
            StateComparison.differences(predicted: predicted, observed: found, probes: probes).map(\.description)
                == [
                    "table 77 on beta: expected blackhole 10.0.0.8/29, found prohibit",
                    "table main on beta: expected unreachable 10.0.0.16/29, found nothing",
                    "table main on beta: expected nothing, found unreachable 10.0.0.24/29 metric 5",
                    "rules on beta: expected 100: from all lookup 77, found nothing",
                    "rules on beta: expected nothing, found 101: from all lookup 77",
                    "iptables filter INPUT on beta: expected order -i eth1 -j DROP | -i lo -j ACCEPT, found order -i lo -j ACCEPT | -i eth1 -j DROP",
                    "iptables mangle OUTPUT on beta: expected nothing, found -A OUTPUT -j MARK --set-xmark 0x1/0xffffffff",
                    "iptables nat POSTROUTING on beta: expected -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to-source 10.0.0.29, found nothing",
                ])
    }

    @Test("node-wide parts, sysctls, a namespace without a dump; unknown parts are skipped")
    func nodeWideAndUnknown() {
        var (predicted, found) = Self.pair(
            predicted: [
                "ip netns add ns2", "echo '250 a' >> /etc/iproute2/rt_tables", "sysctl net.ipv4.ip_forward=1",
                "ip -n ns1 route add unreachable 10.5.0.0/16",
            ],
            found: [
                "ip netns add ns3", "echo '250 b' >> /etc/iproute2/rt_tables",
                "echo '251 c' >> /etc/iproute2/rt_tables",
                "sysctl net.ipv4.ip_forward=0",
            ])
        found.namespaces["ns1"] = nil
        let probes = Self.everyProbe
        #expect(
            StateComparison.differences(predicted: predicted, observed: found, probes: probes).map(\.description)
                == [
                    "netns list on beta: expected ns1, found nothing",
                    "netns list on beta: expected ns2, found nothing",
                    "netns list on beta: expected nothing, found ns3",
                    "rt_tables line 12 on beta: expected '250 a', found '250 b'",
                    "sysctl net.ipv4.ip_forward on beta: expected 1, found 0",
                    "addresses@ns1 in ns1 on beta: expected a dump, found no output",
                    "routes@ns1 in ns1 on beta: expected a dump, found no output",
                ])
        predicted.forget(.node([.namespaces, .rtTables]), in: nil)
        predicted.forget(.aspects([.sysctls], namespace: nil), in: nil)
        found.namespaces["ns1"] = predicted.namespaces["ns1"]
        #expect(StateComparison.differences(predicted: predicted, observed: found, probes: probes).isEmpty)
    }

    @Test("adopting takes only what was lost (or everything when asked), keeps link ids and known MACs")
    func adopting() throws {
        var (predicted, found) = Self.pair(
            predicted: ["ip link add dev m1 link eth1 type macvlan", "ip link set dev m1 address 00:16:3E:00:00:01"],
            found: [
                "ip link add dev m1 link eth1 type macvlan", "ip link add dev m2 link eth1 type macvlan",
                "ip route add unreachable 10.0.0.0/29", "ip rule add table 77", "ip netns add ns9",
                "echo '250 a' >> /etc/iproute2/rt_tables",
            ])
        let probes = Self.everyProbe
        #expect(predicted.adopting(found, probes: probes) == predicted)
        predicted.forget(.aspects([.links, .routes], namespace: nil), in: nil)
        predicted.forget(.node([.namespaces]), in: nil)
        let adopted = predicted.adopting(found, probes: probes)
        let namespace = try #require(adopted.namespace(nil))
        #expect(namespace.links.map(\.name) == ["lo", "eth1", "m1", "m2"])
        #expect(namespace.link(named: "m1")?.id == predicted.namespace(nil)?.link(named: "m1")?.id)
        #expect(namespace.link(named: "m1")?.mac == MACAddress("00:16:3E:00:00:01"))
        #expect(namespace.link(named: "m2")?.id == predicted.nextLinkID)
        #expect(adopted.nextLinkID == predicted.nextLinkID + 1)
        #expect(namespace.routes == found.namespace(nil)?.routes)
        #expect(namespace.tablesKnown == false)
        #expect(namespace.rules == predicted.namespace(nil)?.rules)
        #expect(namespace.unknown.isEmpty && adopted.unknown.isEmpty)
        #expect(adopted.namedNamespaces == ["ns1", "ns9"])
        #expect(adopted.namespace("ns9")?.unknown == Set(StateAspect.allCases))
        #expect(adopted.rtTables == predicted.rtTables)
        let everything = predicted.adopting(found, probes: probes, everything: true)
        #expect(everything.rtTables == found.rtTables)
        #expect(everything.namespace(nil)?.rules == found.namespace(nil)?.rules)
    }
}
