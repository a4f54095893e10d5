/// Collects, command by command, what a block says about the system that runs it: addresses it adds or uses
/// as `src` (for), gateways and peers it routes to (against), MACs it sets (for) or names as peers (against),
/// namespaces created earlier by some system (for).
struct EvidenceCollector {
    let inferrer: SystemInferrer
    let history: SystemHistory
    private(set) var evidence: [SystemInference.Evidence] = []
    /// Namespaces this block creates itself: using them says nothing about earlier blocks.
    private var createdHere: Set<String> = []

    init(inferrer: SystemInferrer, history: SystemHistory) {
        self.inferrer = inferrer
        self.history = history
    }

    mutating func collect(_ command: Command) {
        guard let words = ShellWords.split(command.text) else { return }
        let line = command.location.line
        let parsed = IPCommand(words: words)
        var namespacesUsed: [String] = []
        if let netns = parsed.netns { namespacesUsed.append(netns) }
        for device in parsed.devices where device.hasSuffix("_eth1") {
            namespacesUsed.append(String(device.dropLast(5)))
        }
        switch parsed.kind {
        case .route(let destination, let via, let source):
            route(line, destination: destination, via: via, source: source, devices: parsed.devices)
        case .addressAdd(let address):
            if let owner = owners(address, includeHistory: false) {
                add(line, "adds \(address), \(owner.text)", owner.nodes)
            }
        case .addressDelete(let address):
            if let owner = owners(address, includeHistory: true) {
                add(line, "deletes \(address), \(owner.text)", owner.nodes)
            }
        case .netnsAdd(let name):
            createdHere.insert(name)
        case .netnsDelete(let name):
            namespacesUsed.append(name)
        case .linkAddress(_, let mac):
            if let owner = macOwner(mac) { add(line, "sets its MAC to \(mac), the MAC of \(owner)", [owner]) }
        case .other: break
        }
        for mac in Set(parsed.peerMACs).sorted() {
            if let owner = macOwner(mac) {
                add(line, "names \(mac) as a peer's MAC, the MAC of \(owner)", [owner], against: true)
            }
        }
        for name in Set(namespacesUsed).sorted() where !createdHere.contains(name) {
            if let creators = history.namespaces[name], !creators.isEmpty {
                add(line, "uses namespace \(name), created earlier by \(creators.joined(separator: ", "))", creators)
            }
        }
    }

    private mutating func route(
        _ line: Int, destination: String?, via: IPAddress?, source: IPAddress?, devices: [String]
    ) {
        if let source, let owner = owners(source, includeHistory: true) {
            add(line, "src \(source) is \(owner.text)", owner.nodes)
        }
        if let via, let owner = owners(via, includeHistory: true) {
            add(line, "the gateway \(via) is \(owner.text)", owner.nodes, against: true)
        }
        if via == nil, !devices.isEmpty, let destination,
            let address = IPPrefix(destination).flatMap({ $0.isHost ? $0.address : nil }),
            let owner = owners(address, includeHistory: true)
        {
            add(line, "a route to the peer \(address), \(owner.text)", owner.nodes, against: true)
        }
    }

    /// Who holds an address: the topology says, else (when asked) the blocks before.
    private func owners(_ address: IPAddress, includeHistory: Bool) -> (nodes: [NodeName], text: String)? {
        let allNodes = Array(inferrer.topology.nodes.keys)
        if let nodes = inferrer.addressOwners[address], !nodes.isEmpty {
            let list = allNodes.filter { nodes.contains($0) }
            return (list, "an address of \(list.joined(separator: ", ")) in the topology")
        }
        if includeHistory, let nodes = history.addresses[address], !nodes.isEmpty {
            let list = allNodes.filter { nodes.contains($0) }
            return (list, "added earlier by \(list.joined(separator: ", "))")
        }
        return nil
    }

    private func macOwner(_ mac: MACAddress) -> NodeName? { inferrer.macOwners[mac] ?? history.macs[mac] }

    private mutating func add(_ line: Int, _ fact: String, _ nodes: [NodeName], against: Bool = false) {
        evidence.append(SystemInference.Evidence(line: line, fact: fact, nodes: nodes, isAgainst: against))
    }
}
