import Foundation
import PlanModel
import Testing

@testable import Orchestrator

/// Conformance: documented blocks against a node that did the same with names of its own choosing.
@Suite struct ConformanceTests {
    let topology: Topology
    let fresh: NodeState

    init() throws {
        topology = try TopologyLoader.parse(
            text: "name: t\nnodes:\n  beta: {interfaces: {eth1: {mac: \"00:16:3E:EC:A3:E1\"}}}\n", path: "t.yaml")
        fresh = NodeState.freshLabNode(try #require(topology.nodes["beta"]))
    }

    func block(_ text: String) -> NodeBlock {
        let location = InputLocation(file: "doc.yaml", line: 1)
        return NodeBlock(
            node: "beta", lines: text.split(separator: "\n").map { ScriptLine(String($0), at: location) },
            location: location)
    }

    func state(_ text: String) -> NodeState { StateModel.evaluate(block(text), from: fresh).state }

    static let documented = """
        ip address add 169.254.96.141 dev eth1
        ip route add 169.254.94.223 dev eth1 src 169.254.96.141
        ip netns add entr02
        ip link add dev entr02_eth1 link eth1 type macvlan
        ip link set dev entr02_eth1 netns entr02
        ip netns exec entr02 ip link set dev entr02_eth1 address 00:16:3E:8E:91:B9
        ip netns exec entr02 ip address add 169.254.215.29 dev entr02_eth1
        iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:8E:91:B9 -j MARK --set-mark 250
        """

    /// What a program would have done: the same, with its own namespace name, link-locals and MAC.
    static let real = """
        ip address add 169.254.103.173 dev eth1
        ip route add 169.254.250.101 dev eth1 src 169.254.103.173
        ip netns add ntkv0
        ip link add dev ntkv0_eth1 link eth1 type macvlan
        ip link set dev ntkv0_eth1 netns ntkv0
        ip netns exec ntkv0 ip link set dev ntkv0_eth1 address 9E:CB:8F:5A:97:17
        ip netns exec ntkv0 ip address add 169.254.7.77 dev ntkv0_eth1
        iptables -t mangle -A PREROUTING -m mac --mac-source 9e:cb:8f:5a:97:17 -j MARK --set-mark 250
        """

    func judge(real: String, binding: ConformanceBinding = .init()) -> ConformanceJudgement.Attempt {
        let predicted = state(Self.documented)
        let observed = state(real)
        let probes = StateProbe.fullDump(namespaces: Array(Set(predicted.namespaceNames + observed.namespaceNames)))
        return ConformanceJudgement.attempt(
            predicted: predicted, observed: observed, binding: binding, probes: probes)
    }

    @Test("a node that did the documented thing under names of its own conforms, and the names are bound")
    func conforms() {
        let attempt = judge(real: Self.real)
        #expect(attempt.differences.isEmpty, "\(attempt.differences)")
        #expect(
            attempt.binding.values == [
                "entr02": "ntkv0", "169.254.96.141": "169.254.103.173", "169.254.215.29": "169.254.7.77",
                "169.254.94.223": "169.254.250.101", "00:16:3E:8E:91:B9": "9E:CB:8F:5A:97:17",
            ])
    }

    @Test("one wrong route is a difference, named")
    func wrongRoute() {
        let attempt = judge(real: Self.real + "\nip route add 10.9.0.0/24 dev eth1")
        #expect(attempt.differences.count == 1)
        #expect(attempt.differences.first?.contains("10.9.0.0/24") == true, "\(attempt.differences)")
    }

    @Test("a binding given by the plan is kept, so a conflicting sight is a difference")
    func explicitBinding() {
        let attempt = judge(real: Self.real, binding: ConformanceBinding(["entr02": "other"]))
        #expect(!attempt.differences.isEmpty)
        #expect(attempt.binding.values["entr02"] == "other")
    }

    @Test("a rebased node gets the documented names back: it then equals the documented state without binding")
    func unapply() {
        let bound = judge(real: Self.real).binding
        let rebased = bound.unapply(to: state(Self.real))
        let predicted = state(Self.documented)
        let probes = StateProbe.fullDump(namespaces: Array(Set(predicted.namespaceNames + rebased.namespaceNames)))
        let again = ConformanceJudgement.attempt(
            predicted: predicted, observed: rebased, binding: .init(), probes: probes)
        #expect(rebased.namespaceNames == ["entr02"])
        #expect(again.differences.isEmpty, "\(again.differences)")
        #expect(again.binding.values.isEmpty, "nothing left to bind: \(again.binding.values)")
    }

    @Test("replacement takes whole values only")
    func wholeValues() {
        let text = #"["169.254.9.1","169.254.9.10","169.254.9.1/32","entr02_eth1","xentr02","entr02"]"#
        let addresses = ConformanceBinding.replace("169.254.9.1", with: "169.254.5.5", in: text)
        #expect(addresses == #"["169.254.5.5","169.254.9.10","169.254.5.5/32","entr02_eth1","xentr02","entr02"]"#)
        let names = ConformanceBinding.replace("entr02", with: "ntkv0", in: text)
        #expect(names == #"["169.254.9.1","169.254.9.10","169.254.9.1/32","ntkv0_eth1","xentr02","ntkv0"]"#)
        let sysctl = ConformanceBinding.replace("entr02", with: "ntkv0", in: "net.ipv4.conf.entr02_eth1.rp_filter")
        #expect(sysctl == "net.ipv4.conf.ntkv0_eth1.rp_filter")
    }
}
