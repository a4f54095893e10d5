import NodeAgentProtocol
import PlanModel

/// The `ip -j` and `iptables-save` dump parsers, reached the way a run reaches them: the agent's state outputs
/// go through `ObservedState`, and the observed state is compared with a model adopted from it.
enum FuzzStateDumps {
    /// The dump section headers (as in Tests/PlanModelTests/Fixtures/sut), and the query each stands for.
    static let sections: [String: NodeRequest.StateQuery.Kind] = [
        "ip -j address": .addresses, "ip -j link": .links, "ip -j route show table all": .routes,
        "ip -j rule": .rules, "ip netns list": .namespaces, "iptables-save": .iptables, "rt_tables": .rtTables,
        "sysctl": .sysctl(names: ["net.ipv4.ip_forward"]),
    ]

    /// Input: `## <command>` lines, each followed by that command's output; text before the first header is
    /// an `ip -j address` dump. A header may name a namespace after ` @ `.
    static func ipJSON(_ bytes: [UInt8]) {
        observe(outputs(String(decoding: bytes, as: UTF8.self)))
    }

    /// Input: one `iptables-save` output.
    static func iptablesSave(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let state = try? IptablesSaveParser.parse(text) else { return }
        _ = state.tables.values.map { $0.values.map(\.count) }
        observe([NodeResponse.StateOutput(query: .init(.iptables), exitStatus: 0, bytes: bytes)])
    }

    static func outputs(_ text: String) -> [NodeResponse.StateOutput] {
        var outputs: [NodeResponse.StateOutput] = []
        var query = NodeRequest.StateQuery(.addresses)
        var body: [Substring] = []
        func flush() {
            outputs.append(.init(query: query, exitStatus: 0, bytes: Array(body.joined(separator: "\n").utf8)))
            body = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("## ") else {
                body.append(line)
                continue
            }
            flush()
            let words = line.dropFirst(3).split(separator: " @ ", maxSplits: 1)
            let kind = words.first.flatMap { sections[String($0)] } ?? .addresses
            query = NodeRequest.StateQuery(kind, netns: words.count == 2 ? NamespaceName(String(words[1])) : nil)
        }
        flush()
        return outputs
    }

    static func observe(_ outputs: [NodeResponse.StateOutput]) {
        let node: NodeName = "fuzz"
        guard let observed = try? ObservedState.parse(outputs, node: node) else { return }
        let model = StateModel.from(observed: observed)
        let probes = StateProbe.fullDump(namespaces: observed.namespaceNames)
        _ = StateComparison.differences(predicted: model, observed: observed, probes: probes).map(\.description)
        var changed = model
        _ = StateModel.run("ip route flush table main", on: &changed)
        _ = StateComparison.differences(predicted: changed, observed: observed, probes: probes).map(\.description)
    }
}
