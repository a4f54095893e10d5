import PlanModel
import Testing

/// A block whose iptables commands all name one table has only that table dumped after it (`iptables-save -t`),
/// compared and adopted; anything else still dumps every table.
@Suite("iptables probes per table")
struct IptablesTableProbeTests {
    static let mark = "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:5B:78:D5 -j MARK --set-mark 250"
    static let snat = "iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.29"

    static func state() throws -> NodeState {
        var state = NodeState.freshLabNode(try #require(try CheckerTests.topology().nodes["beta"]))
        _ = StateModel.run("ip netns add migr01", on: &state)
        return state
    }

    static func block(_ text: String, netns: NamespaceName? = nil) -> NodeBlock {
        let lines = text.split(separator: "\n").map { ScriptLine(String($0), at: InputLocation(file: "b", line: 1)) }
        return NodeBlock(node: "beta", netns: netns, lines: lines, location: InputLocation(file: "b", line: 1))
    }

    static func probes(_ text: String, netns: NamespaceName? = nil, from state: NodeState) -> [String] {
        StateModel.predict(block: block(text, netns: netns), from: state).probes.map(\.description)
    }

    @Test("one table named by every iptables command: that table alone; two tables, nft or an unknown table: all")
    func choice() throws {
        let state = try Self.state()
        #expect(Self.probes(Self.mark, from: state) == ["iptables:mangle"])
        #expect(
            Self.probes(Self.mark + "\n" + Self.mark.replacingOccurrences(of: "250", with: "251"), from: state)
                == ["iptables:mangle"])
        #expect(Self.probes("ip netns exec migr01 " + Self.snat, from: state) == ["iptables:nat@migr01"])
        #expect(Self.probes(Self.snat, netns: "migr01", from: state) == ["iptables:nat@migr01"])
        #expect(Self.probes("iptables -A INPUT -s 10.0.0.1 -j DROP", from: state) == ["iptables:filter"])
        #expect(Self.probes(Self.mark + "\n" + Self.snat, from: state) == ["iptables"])
        #expect(Self.probes("iptables -t security -A INPUT -j ACCEPT", from: state) == ["iptables"])
        #expect(Self.probes("iptables -t", from: state) == ["iptables"])
        #expect(Self.probes("nft add table ip x", from: state) == ["iptables"])
        // Two namespaces, one table each: each namespace gets its own table's dump.
        #expect(
            Self.probes(Self.mark + "\nip netns exec migr01 " + Self.snat, from: state) == [
                "iptables:mangle", "iptables:nat@migr01",
            ])
    }

    @Test("rules the model lost are fetched back whole, even when the block names one table")
    func lostRules() throws {
        var state = try Self.state()
        _ = StateModel.run("nft flush ruleset", on: &state)
        #expect(state.namespace(nil)?.unknown == [.iptables])
        #expect(Self.probes(Self.mark, from: state) == ["iptables"])
    }

    @Test("a table probe compares and adopts its table only")
    func compareAndAdopt() throws {
        var predicted = try Self.state()
        var found = predicted
        _ = StateModel.run(Self.mark, on: &predicted)
        _ = StateModel.run(Self.mark.replacingOccurrences(of: "250", with: "249"), on: &found)
        _ = StateModel.run(Self.snat, on: &found)
        let mangle = [StateProbe(.iptablesTable("mangle"))]
        #expect(
            StateComparison.differences(predicted: predicted, observed: found, probes: mangle).map(\.description) == [
                "iptables mangle PREROUTING on beta: expected -A PREROUTING -m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xfa/0xffffffff, found nothing",
                "iptables mangle PREROUTING on beta: expected nothing, found -A PREROUTING -m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xf9/0xffffffff",
            ])
        #expect(
            StateComparison.differences(predicted: predicted, observed: found, probes: [StateProbe(.iptables)]).count
                == 3)
        let adopted = predicted.adopting(found, probes: mangle, everything: true)
        #expect(
            adopted.namespace(nil)?.iptables.rules(table: "mangle", chain: "PREROUTING") == [
                "-m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xf9/0xffffffff"
            ])
        #expect(adopted.namespace(nil)?.iptables.rules(table: "nat", chain: "POSTROUTING") == [])
    }
}
