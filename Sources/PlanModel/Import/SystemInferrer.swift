/// Weighs the evidence a block gives about its system against the topology and the history.
struct SystemInferrer: Sendable {
    let topology: Topology
    /// Addresses and MACs the topology documents, per node.
    let addressOwners: [IPAddress: Set<NodeName>]
    let macOwners: [MACAddress: NodeName]

    init(topology: Topology) {
        self.topology = topology
        var addresses: [IPAddress: Set<NodeName>] = [:]
        var macs: [MACAddress: NodeName] = [:]
        for node in topology.nodes.values {
            for interface in node.interfaces.values {
                for prefix in interface.addresses { addresses[prefix.address, default: []].insert(node.name) }
                if let mac = interface.mac { macs[mac] = node.name }
            }
        }
        self.addressOwners = addresses
        self.macOwners = macs
    }

    struct Outcome: Sendable {
        var candidates: [NodeName]
        var evidence: [SystemInference.Evidence]
        var hasSupport: Bool
    }

    /// The systems the block's commands fit, in topology order, and why.
    func weigh(_ lines: [ScriptLine], history: SystemHistory) -> Outcome {
        var collector = EvidenceCollector(inferrer: self, history: history)
        for command in ShellLines.commands(of: lines) { collector.collect(command) }
        return outcome(collector.evidence)
    }

    /// The candidates all supporting evidence agrees on, minus those any evidence rules out.
    func outcome(_ evidence: [SystemInference.Evidence]) -> Outcome {
        let allNodes = Array(topology.nodes.keys)
        var candidates = Set(allNodes)
        var hasSupport = false
        for item in evidence where !item.isAgainst {
            candidates.formIntersection(item.nodes)
            hasSupport = true
        }
        for item in evidence where item.isAgainst { candidates.subtract(item.nodes) }
        return Outcome(
            candidates: allNodes.filter { candidates.contains($0) }, evidence: Self.deduplicated(evidence),
            hasSupport: hasSupport)
    }

    /// The same fact from many lines is listed once (with its first line).
    private static func deduplicated(_ evidence: [SystemInference.Evidence]) -> [SystemInference.Evidence] {
        var seen: Set<String> = []
        return evidence.filter { seen.insert("\($0.fact)|\($0.nodes)|\($0.isAgainst)").inserted }
    }
}
