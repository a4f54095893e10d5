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
