extension SystemInferrer {
    /// The systems a data block's values fit: each address or MAC the topology (or an earlier block) gives to
    /// a system speaks for it.
    func weigh(data lines: [ScriptLine], history: SystemHistory) -> Outcome {
        let allNodes = Array(topology.nodes.keys)
        var evidence: [SystemInference.Evidence] = []
        let values = DataBlock.values(of: lines)
        for (address, line) in values.addresses {
            let owners = addressOwners[address] ?? history.addresses[address] ?? []
            guard !owners.isEmpty else { continue }
            let list = allNodes.filter { owners.contains($0) }
            evidence.append(
                SystemInference.Evidence(
                    line: line, fact: "lists \(address), an address of \(list.joined(separator: ", "))", nodes: list,
                    isAgainst: false))
        }
        for (mac, line) in values.macs {
            guard let owner = macOwners[mac] ?? history.macs[mac] else { continue }
            evidence.append(
                SystemInference.Evidence(
                    line: line, fact: "lists \(mac), the MAC of \(owner)", nodes: [owner], isAgainst: false))
        }
        var candidates = Set(allNodes)
        for item in evidence { candidates.formIntersection(item.nodes) }
        return Outcome(
            candidates: allNodes.filter { candidates.contains($0) }, evidence: evidence, hasSupport: !evidence.isEmpty)
    }
}
