import PlanModel
import Testing

@Suite("rules, addresses, links, namespaces, iptables, sysctl, rt_tables: effects and failures")
struct StateCommandFamilyTests {
    typealias S = StateTestSupport

    func rules(_ state: NodeState, _ namespace: String? = nil) -> [String] {
        (state.namespace(namespace)?.rules ?? []).map { $0.describe(tables: state.rtTables) }
    }

    @Test("rule priorities follow the kernel: the second rule's priority minus one, or 0")
    func rulePriorities() {
        var state = S.freshBeta()
        S.run(S.systemStart, on: &state)
        S.run(
            [
                "(echo; echo \"250 ntk_from_00:16:3E:5B:78:D5 # x\") | tee -a /etc/iproute2/rt_tables >/dev/null",
                "ip rule add fwmark 250 table ntk_from_00:16:3E:5B:78:D5", "ip rule add pref 100 table 77",
                "ip rule add table 78",
            ], on: &state)
        #expect(
            rules(state) == [
                "0: from all lookup local", "99: from all lookup 78", "100: from all lookup 77",
                "32764: from all fwmark 0xfa lookup ntk_from_00:16:3E:5B:78:D5", "32765: from all lookup ntk",
                "32766: from all lookup main", "32767: from all lookup default",
            ])
        // With a rule at 0 in second place the kernel hands out 0, and an identical rule there is refused.
        S.run(["ip rule add pref 0 table main"], on: &state)
        let duplicate = S.fail("ip rule add table main", on: &state)
        #expect(duplicate?.toolMessage == "RTNETLINK answers: File exists")
        S.fail("ip rule add table nosuch", on: &state)
    }

    @Test("rule del removes the first rule matching what is given; an absent one fails")
    func ruleDelete() {
        var state = S.freshBeta()
        S.run(S.systemStart + ["ip rule add fwmark 5 table ntk", "ip rule del table ntk"], on: &state)
        #expect(rules(state).contains("32764: from all lookup ntk") == false)
        #expect(rules(state).contains("32765: from all lookup ntk"))
        let absent = S.fail("ip rule del fwmark 250 table ntk", on: &state)
        #expect(absent?.toolMessage == "RTNETLINK answers: No such file or directory")
        #expect(absent?.reason == "no rule 'from all fwmark 0xfa lookup ntk' in the default namespace")
        S.run(["ip rule flush"], on: &state)
        #expect(rules(state) == ["0: from all lookup local"])
    }

    @Test("address add twice, delete absent, wildcard delete without a length, missing device")
    func addresses() {
        var state = S.freshBeta()
        S.run(["ip address add 10.0.0.32 dev lo"], on: &state)
        #expect(
            S.fail("ip address add 10.0.0.32 dev lo", on: &state)?.toolMessage
                == "Error: ipv4: Address already assigned.")
        S.run(
            [
                "ip address add 10.0.0.32 dev eth1", "ip address add 10.5.0.1/24 dev eth1",
                "ip address del 10.5.0.1 dev eth1",
            ], on: &state)
        #expect(
            S.fail("ip address del 10.5.0.1/24 dev eth1", on: &state)?.toolMessage == "Error: ipv4: Address not found.")
        #expect(S.fail("ip address add 10.9.9.9 dev nosuch", on: &state)?.exitStatus == 1)
    }

    @Test("macvlan into a namespace: down there, addresses gone, routes through it gone from the old namespace")
    func macvlanMove() throws {
        var state = S.freshBeta()
        S.run(
            [
                "ip netns add migr01", "ip link add dev migr01_eth1 link eth1 type macvlan",
                "ip link set dev migr01_eth1 up",
                "ip address add 10.7.0.1/24 dev migr01_eth1", "ip route add 10.8.0.0/24 via 10.7.0.2 dev migr01_eth1",
                "ip link set dev migr01_eth1 netns migr01",
            ], on: &state)
        let moved = try #require(state.namespace("migr01")?.link(named: "migr01_eth1"))
        #expect(!moved.isUp && moved.addresses.isEmpty && moved.mac == nil)
        #expect(state.namespace(nil)?.routes.contains { $0.device == "migr01_eth1" } == false)
        S.fail("ip link set dev migr01_eth1 netns migr01", on: &state)
        S.run(
            ["ip link set dev migr01_eth1 address 00:16:3E:EE:AF:D1", "ip link set dev migr01_eth1 up"], on: &state,
            namespace: "migr01")
        #expect(state.namespace("migr01")?.link(named: "migr01_eth1")?.mac == MACAddress("00:16:3E:EE:AF:D1"))
        #expect(
            S.fail("ip netns exec migr01 ip link set dev migr01_eth1 address 00:16:3E:EC:A3:E1", on: &state)?
                .toolMessage
                == "RTNETLINK answers: Address already in use")
        #expect(
            S.fail("ip link add dev x link nosuch type macvlan", on: &state)?.toolMessage
                == "Cannot find device \"nosuch\"")
        #expect(
            S.fail("ip netns add migr01", on: &state)?.toolMessage
                == "Cannot create namespace file \"/run/netns/migr01\": File exists")
        // Deleting the namespace destroys its macvlan; deleting a lower device destroys macvlans on it.
        S.run(["ip netns del migr01", "ip link add dev m1 link eth1 type macvlan", "ip link delete eth1"], on: &state)
        #expect(state.namespace(nil)?.links.map(\.name) == ["lo"])
        #expect(S.fail("ip netns del migr01", on: &state)?.exitStatus == 1)
        #expect(S.fail("ip netns exec migr01 ip route", on: &state)?.missing == .namespace("migr01"))
    }

    @Test("link down drops routes through it but keeps local ones; up restores connected routes only")
    func linkDownUp() {
        var state = S.freshBeta()
        S.run(
            [
                "ip address add 10.1.0.1/24 dev eth1", "ip route add 10.9.0.0/24 via 10.1.0.2 dev eth1",
                "ip route add unreachable 10.0.0.0/29 table 77", "ip link set dev eth1 down",
            ], on: &state)
        let down = (state.namespace(nil)?.routes ?? []).filter { $0.device == "eth1" || $0.table == 77 }.map(
            \.description)
        #expect(
            Set(down) == ["unreachable 10.0.0.0/29", "local 10.1.0.1 dev eth1 proto kernel scope host src 10.1.0.1"])
        #expect(
            S.fail("ip route add 10.8.0.0/24 dev eth1", on: &state)?.toolMessage
                == "Error: Device for nexthop is not up.")
        S.run(["ip link set dev eth1 up"], on: &state)
        let up = Set((state.namespace(nil)?.routes ?? []).filter { $0.device == "eth1" }.map(\.description))
        #expect(up.contains("10.1.0.0/24 dev eth1 proto kernel scope link src 10.1.0.1"))
        #expect(!up.contains("10.9.0.0/24 via 10.1.0.2 dev eth1"))
    }

    @Test("iptables: -A, -I, -D by spec or number, spelled as iptables-save; failures of an absent rule or chain")
    func iptables() {
        var state = S.freshBeta()
        S.run(
            [
                "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250",
                "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29",
                "iptables -t nat -A POSTROUTING -d 10.0.0.0/27  -s 10.0.0.40/31 -j NETMAP --to 10.0.0.12/31",
                "iptables -t nat -I POSTROUTING -d 10.0.0.65/27 -s 10.0.0.41 -j NETMAP --to 10.0.0.13",
            ], on: &state)
        let iptables = state.namespace(nil)?.iptables
        #expect(
            iptables?.rules(table: "mangle", chain: "PREROUTING") == [
                "-m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xfa/0xffffffff"
            ])
        #expect(
            iptables?.rules(table: "nat", chain: "POSTROUTING") == [
                "-s 10.0.0.41/32 -d 10.0.0.64/27 -j NETMAP --to 10.0.0.13/32",
                "-d 10.0.0.64/27 -j SNAT --to-source 10.0.0.29",
                "-s 10.0.0.40/31 -d 10.0.0.0/27 -j NETMAP --to 10.0.0.12/31",
            ])
        let absent = S.fail("iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.28", on: &state)
        #expect(absent?.toolMessage == "iptables: Bad rule (does a matching rule exist in that chain?).")
        #expect(
            absent?.missing
                == .iptablesRule(
                    namespace: nil, table: "nat", chain: "POSTROUTING",
                    rule: "-d 10.0.0.64/27 -j SNAT --to-source 10.0.0.28"))
        S.run(
            [
                "iptables -t nat -D POSTROUTING -d 10.0.0.64/27 -j SNAT --to-source 10.0.0.29",
                "iptables -t nat -D POSTROUTING 1",
            ], on: &state)
        #expect(state.namespace(nil)?.iptables.rules(table: "nat", chain: "POSTROUTING").count == 1)
        #expect(
            S.fail("iptables -t nat -A NOSUCH -j ACCEPT", on: &state)?.toolMessage
                == "iptables: No chain/target/match by that name.")
        #expect(
            S.fail("iptables -t nat -A PREROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29", on: &state)?.exitStatus == 4)
    }

    @Test("sysctl: a parameter of a device that is not there fails even with &>/dev/null; ip_forward sets forwarding")
    func sysctl() {
        var state = S.freshBeta()
        S.run(["sysctl net.ipv4.conf.eth1.forwarding=0", "sysctl -w net.ipv4.ip_forward=1 &>/dev/null"], on: &state)
        #expect(state.namespace(nil)?.sysctls == ["net.ipv4.conf.eth1.forwarding": "1", "net.ipv4.ip_forward": "1"])
        let missing = S.fail("sysctl net.ipv4.conf.migr01_eth1.rp_filter=0 &>/dev/null", on: &state)
        #expect(
            missing?.toolMessage
                == "sysctl: cannot stat /proc/sys/net/ipv4/conf/migr01_eth1/rp_filter: No such file or directory")
        #expect(missing?.missing == .device(namespace: nil, name: "migr01_eth1"))
        if case .notModelled(let unknown) = StateModel.run("sysctl net.core.somaxconn=100", on: &state) {
            #expect(unknown.scope == .aspects([.sysctls], namespace: nil))
        } else {
            Issue.record("an unknown parameter is not modelled")
        }
    }

    @Test("rt_tables: tee -a appends a blank line and the entry, sed -i deletes matching lines, names resolve like ip")
    func rtTables() {
        var state = S.freshBeta()
        S.run(
            [
                "(echo; echo \"250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null",
                "echo \"249 other\" >> /etc/iproute2/rt_tables",
            ], on: &state)
        #expect(
            state.rtTables.lines.suffix(3) == [
                "", "250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx", "249 other",
            ])
        #expect(state.rtTables.tableID(named: "ntk_from_00:16:3E:5B:78:D5") == 250)
        #expect(state.rtTables.tableID(named: "0x10") == 16)
        #expect(state.rtTables.name(ofTable: 249) == "other")
        S.run(["sed -i '/xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx/d' /etc/iproute2/rt_tables"], on: &state)
        #expect(state.rtTables.tableID(named: "ntk_from_00:16:3E:5B:78:D5") == nil)
        #expect(state.rtTables.lines.last == "249 other")
        // A malformed line ends ip's reading: names after it do not exist.
        let corrupted = RTTablesFile(text: "250 a\nbroken\n249 b\n")
        #expect(
            corrupted.tableID(named: "a") == 250 && corrupted.tableID(named: "b") == nil && corrupted.corruptedLine == 1
        )
        #expect(RTTablesFile.debianDefault.allocateID(for: "ntk") == 251)
        #expect(RTTablesFile(text: "251 ntk\n250 x\n248 y\n").allocateID(for: "z") == 249)
    }

    @Test("shell: set -e inside a line, && and || lists, negation, unknown programs and syntax")
    func shell() {
        var state = S.freshBeta()
        S.run(
            [
                "ip route del 10.9.9.0/24 || true",
                "ip route del 10.9.9.0/24 && ip route add unreachable 10.9.9.0/24; true",
            ], on: &state)
        #expect(state.namespace(nil)?.routes.contains { $0.destination == S.route("10.9.9.0/24") } == false)
        S.fail("true; ip route del 10.9.9.0/24", on: &state)
        S.fail("true && ip route del 10.9.9.0/24", on: &state)
        for (command, scope) in [
            ("qspnclient init", UnknownScope.everything), ("ip -6 route add ::/0 dev eth1", .nothing),
            ("ip route add 10.0.0.0/8 dev eth1 mtu 1400", .aspects([.routes], namespace: nil)),
            ("ip neigh add 10.1.1.1 lladdr 00:11:22:33:44:55 dev eth1", .nothing),
        ] {
            var copy = state
            guard case .notModelled(let unknown) = StateModel.run(command, on: &copy) else {
                Issue.record("\(command) should not be modelled")
                continue
            }
            #expect(unknown.scope == scope, "\(command)")
        }
        var copy = state
        _ = StateModel.run("qspnclient init", on: &copy)
        #expect(copy.isEntirelyUnknown)
        // After an unknown command, nothing that depends on the lost part is reported as failing.
        #expect(StateModel.run("ip route del 10.9.9.0/24", on: &copy) == .success)
    }
}
