import PlanModel
import Testing

/// Command lines at the edge of what the model parses, with what iproute2 6.1 and iptables 1.8.9 answer on
/// Linux 6.18 (checked in a scratch namespace).
@Suite("edge cases of the command parsers: no hang, no crash, the tool's answer")
struct StateCommandEdgeTests {
    typealias S = StateTestSupport

    @Test("ip rule … type ACTION is ACTION; type without a value fails as ip does; an unknown type is not modelled")
    func ruleType() {
        var state = S.freshBeta()
        S.run(["ip rule add pref 400 type unreachable", "ip rule add pref 401 type nop"], on: &state)
        #expect(
            state.namespace(nil)?.rules.map(\.description).filter { $0.hasPrefix("40") } == [
                "400: from all unreachable", "401: from all nop",
            ])
        let missing = S.fail("ip rule add pref 403 table 5 type", on: &state)
        #expect(missing?.toolMessage == "Command line is not complete. Try option \"help\"")
        #expect(missing?.exitStatus == 255)
        guard case .notModelled(let unknown) = StateModel.run("ip rule add pref 402 type table 5", on: &state) else {
            Issue.record("type table should not be modelled")
            return
        }
        #expect(unknown.reason == "ip rule type table")
    }
}

extension StateCommandEdgeTests {
    @Test("ip route … src as the last word fails as ip does instead of reading past the words")
    func routeSourceWithoutValue() {
        var state = S.freshBeta()
        let failure = S.fail("ip route add 10.1.0.0/24 dev eth1 src", on: &state)
        #expect(failure?.toolMessage == "Command line is not complete. Try option \"help\"")
        #expect(failure?.exitStatus == 255)
        #expect(failure?.reason == "src without an address")
    }
}

extension StateCommandEdgeTests {
    @Test("an empty mark ('' or /5) is refused as ip and iptables refuse it, naming the part ip names")
    func emptyMarks() {
        var state = S.freshBeta()
        for (command, argument) in [
            ("ip rule add fwmark '' table 5", ""), ("ip rule add fwmark /5 table 5", ""),
            ("ip rule add fwmark xyz/5 table 5", "xyz"),
        ] {
            let failure = S.fail(command, on: &state)
            #expect(failure?.toolMessage == "Error: argument \"\(argument)\" is wrong: fwmark value is invalid")
            #expect(failure?.exitStatus == 255)
        }
        for command in [
            "iptables -t mangle -A OUTPUT -j MARK --set-mark ''", "iptables -t mangle -A OUTPUT -j MARK --set-mark /5",
        ] {
            #expect(S.fail(command, on: &state)?.exitStatus == 2)
        }
        #expect(state.namespace(nil)?.rules == PolicyRule.defaults)
        #expect(state.namespace(nil)?.iptables.rules(table: "mangle", chain: "OUTPUT") == [])
    }
}

extension StateCommandEdgeTests {
    @Test("after the routes are lost, ip route flush table N is not predicted to fail: N may exist")
    func flushAfterUnknownRoutes() {
        var state = S.freshBeta()
        S.run(["ip route add unreachable 10.0.16.0/24 table 333"], on: &state)
        // Not modelled (mtu), but on the node it creates table 334.
        _ = StateModel.run("ip route add 10.0.17.0/24 dev eth1 table 334 mtu 1400", on: &state)
        #expect(StateModel.run("ip route flush table 334", on: &state) == .success)
        S.run(["ip route flush table 333"], on: &state)
        #expect(state.namespace(nil)?.routes(inTable: 333) == [])
        // A table name ip cannot resolve still fails before anything reaches the kernel.
        #expect(S.fail("ip route flush table nosuch", on: &state)?.exitStatus == 255)
    }
}

extension StateCommandEdgeTests {
    @Test("a veth destroyed with its peer takes the macvlans on it along (link delete, netns delete)")
    func vethPeerMacvlans() {
        var state = S.freshBeta()
        S.run(
            [
                "ip link add v1 type veth peer name v2", "ip link add m1 link v1 type macvlan",
                "ip link add m2 link v2 type macvlan", "ip link add m3 link m1 type macvlan", "ip link delete v2",
            ], on: &state)
        #expect(state.namespace(nil)?.links.map(\.name) == ["lo", "eth1"])
        S.run(
            [
                "ip netns add ns1", "ip link add v1 type veth peer name v2", "ip link set dev v2 netns ns1",
                "ip link add m1 link v1 type macvlan", "ip netns del ns1",
            ], on: &state)
        #expect(state.namespace(nil)?.links.map(\.name) == ["lo", "eth1"])
    }
}

extension StateCommandEdgeTests {
    @Test("a veth whose peer name is taken fails naming the peer, not the new name")
    func vethPeerNameTaken() {
        var state = S.freshBeta()
        S.run(["ip link add v1 type veth peer name v2"], on: &state)
        #expect(
            S.fail("ip link add v3 type veth peer name v1", on: &state)?.reason
                == "device v1 already exists in the default namespace")
        #expect(
            S.fail("ip link add v2 type veth peer name v1", on: &state)?.reason
                == "device v2 already exists in the default namespace")
    }
}

extension StateCommandEdgeTests {
    @Test("a del that finds no route says so in one space-separated sentence, with the selectors when given")
    func deleteMissingRouteText() {
        var state = S.freshBeta()
        S.run(["ip address add 10.1.0.1/24 dev eth1"], on: &state)
        #expect(
            S.fail("ip route del 10.0.99.0/24", on: &state)?.reason
                == "no route 10.0.99.0/24 in table main of the default namespace")
        #expect(
            S.fail("ip route del 10.0.99.0/24 dev eth1", on: &state)?.reason
                == "no route 10.0.99.0/24 (dev eth1) in table main of the default namespace")
    }
}

extension StateCommandEdgeTests {
    @Test("iptables -F -t nat flushes the nat table: the chain of -F is optional, an option is not one")
    func iptablesFlushBeforeTable() {
        var state = S.freshBeta()
        S.run(
            [
                "iptables -t nat -A POSTROUTING -j ACCEPT", "iptables -F -t nat",
                "iptables -t nat -A POSTROUTING -j ACCEPT", "iptables --flush POSTROUTING -t nat",
            ], on: &state)
        #expect(state.namespace(nil)?.iptables.rules(table: "nat", chain: "POSTROUTING") == [])
        #expect(S.fail("iptables -F NOSUCH -t nat", on: &state)?.exitStatus == 1)
    }
}

extension StateCommandEdgeTests {
    @Test("nft that lists is harmless; any other nft command makes the namespace's iptables rules unknown")
    func nft() {
        var state = S.freshBeta()
        S.run(["ip netns add ns1"], on: &state)
        for command in ["nft list ruleset", "nft -a -j list table ip filter", "nft list ruleset | grep x"] {
            var copy = state
            guard case .notModelled(let unknown) = StateModel.run(command, on: &copy) else {
                #expect(StateModel.run(command, on: &copy) == .success, "\(command)")
                continue
            }
            #expect(unknown.scope == .nothing, "\(command)")
        }
        for (command, namespace) in [
            ("nft flush ruleset", nil), ("nft -f /tmp/rules", nil), ("ip netns exec ns1 nft add table ip x", "ns1"),
        ] {
            var copy = state
            guard case .notModelled(let unknown) = StateModel.run(command, on: &copy) else {
                Issue.record("\(command) should not be modelled")
                continue
            }
            #expect(unknown.scope == .aspects([.iptables], namespace: namespace), "\(command)")
            #expect(copy.namespace(namespace)?.unknown == [.iptables], "\(command)")
        }
        // The probes after a block fetch the rules back.
        let location = InputLocation(file: "b", line: 1)
        let block = NodeBlock(
            node: "beta", netns: nil, lines: [ScriptLine("nft flush ruleset", at: location)], location: location)
        #expect(StateModel.predict(block: block, from: state).probes.map(\.description) == ["iptables"])
    }
}

extension StateCommandEdgeTests {
    /// beta with two macvlans on eth1 (m3 up, m4 down) and an empty namespace ns1.
    static func linkSetNode() -> NodeState {
        var state = S.freshBeta()
        S.run(
            [
                "ip link add m3 link eth1 type macvlan", "ip link add m4 link eth1 type macvlan",
                "ip link set dev m3 up", "ip netns add ns1",
            ], on: &state)
        return state
    }

    @Test("ip link set applies the MAC before the name and the name before up: a refused change stops the rest")
    func linkSetOrder() {
        var state = Self.linkSetNode()
        let multicast = S.fail("ip link set dev m4 name m4b address 01:00:5e:00:00:01", on: &state)
        #expect(multicast?.toolMessage == "RTNETLINK answers: Cannot assign requested address")
        #expect(state.namespace(nil)?.link(named: "m4") != nil)
        let taken = S.fail("ip link set dev m4 up name m3", on: &state)
        #expect(taken?.toolMessage == "RTNETLINK answers: File exists")
        #expect(state.namespace(nil)?.link(named: "m4")?.isUp == false)
        S.run(["ip link set dev m4 name m4c up address 02:00:00:00:00:01"], on: &state)
        let renamed = state.namespace(nil)?.link(named: "m4c")
        #expect(renamed?.isUp == true && renamed?.mac == MACAddress("02:00:00:00:00:01"))
    }

    @Test("ip link set … netns T applies the rest of the command in T; a name taken in T is replaced by the new name")
    func linkSetNetnsWithMore() {
        var state = Self.linkSetNode()
        S.run(
            [
                "ip link add m5 link eth1 type macvlan", "ip link add m6 link eth1 type macvlan",
                "ip link add m7 link eth1 type macvlan", "ip -n ns1 link add m7 type veth peer name m7p",
                "ip link set dev m4 netns ns1 up", "ip link set dev m5 netns ns1 name m5b",
                "ip link set dev m6 netns ns1 address 02:00:00:00:00:06", "ip link set dev m7 name m7x netns ns1",
            ], on: &state)
        let ns1 = state.namespace("ns1")
        #expect(ns1?.link(named: "m4")?.isUp == true)
        #expect(ns1?.link(named: "m5b") != nil && ns1?.link(named: "m5") == nil)
        #expect(ns1?.link(named: "m6")?.mac == MACAddress("02:00:00:00:00:06"))
        #expect(ns1?.link(named: "m7x") != nil)
        #expect(state.namespace(nil)?.links.map(\.name) == ["lo", "eth1", "m3"])
        // The move happens before the MAC is refused; the interface stays moved.
        S.run(["ip link add m8 link eth1 type macvlan"], on: &state)
        let refused = S.fail("ip link set dev m8 netns ns1 address 01:00:5e:00:00:01", on: &state)
        #expect(refused?.toolMessage == "RTNETLINK answers: Cannot assign requested address")
        #expect(state.namespace("ns1")?.link(named: "m8") != nil)
    }

    @Test("a move to the namespace the interface is in does nothing (the rest applies); loopback cannot move")
    func linkSetNetnsSameAndLoopback() {
        var state = Self.linkSetNode()
        S.run(["ip link set dev m4 netns ns1", "ip -n ns1 link set dev m4 netns ns1 up name m4b"], on: &state)
        #expect(state.namespace("ns1")?.link(named: "m4b")?.isUp == true)
        let loopback = S.fail("ip link set dev lo netns ns1", on: &state)
        #expect(loopback?.toolMessage == "Error: The interface netns is immutable.")
        #expect(state.namespace(nil)?.link(named: "lo") != nil)
    }

    @Test("ip refuses a bad name, MAC or namespace while reading, in word order, before looking the device up")
    func linkSetReadingOrder() {
        var state = Self.linkSetNode()
        #expect(S.fail("ip link set dev nosuch netns nosuchns", on: &state)?.exitStatus == 255)
        // A process id is passed on; the device is looked up first.
        #expect(S.fail("ip link set dev nosuch netns 1234", on: &state)?.toolMessage == "Cannot find device \"nosuch\"")
        #expect(S.fail("ip link set dev m3 name m4 netns nosuchns", on: &state)?.missing == .namespace("nosuchns"))
        #expect(
            S.fail("ip link set dev m3 address 01:00:5e:00:00:01 name m4", on: &state)?.toolMessage
                == "RTNETLINK answers: Cannot assign requested address")
    }
}

extension StateCommandEdgeTests {
    @Test("ip link set with a MAC or a name ip cannot take prints what ip prints, with its status")
    func linkSetReadingMessages() {
        var state = Self.linkSetNode()
        let mac = S.fail("ip link set dev m3 address zz", on: &state)
        #expect(mac?.toolMessage == "\"zz\" is invalid lladdr.")
        #expect(mac?.exitStatus == 1)
        let name = S.fail("ip link set dev m3 name bad/name", on: &state)
        #expect(name?.toolMessage == "Error: argument \"bad/name\" is wrong: \"name\" not a valid ifname")
        #expect(name?.exitStatus == 255)
    }
}

extension StateCommandEdgeTests {
    @Test("ip rule del fwmark N compares the full mask, as the kernel does: it does not remove N/0xf")
    func ruleDeleteMask() {
        var state = S.freshBeta()
        S.run(["ip rule add pref 13 fwmark 7/0xf table 77"], on: &state)
        #expect(
            S.fail("ip rule del fwmark 7", on: &state)?.toolMessage == "RTNETLINK answers: No such file or directory")
        S.run(
            ["ip rule del fwmark 7/0xf", "ip rule add pref 12 fwmark 7 table 77", "ip rule del fwmark 7/0xffffffff"],
            on: &state)
        #expect(state.namespace(nil)?.rules == PolicyRule.defaults)
    }
}
