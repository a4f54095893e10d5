import Yams

extension PlanReader {
    static let faultVerbs = ["link_down", "link_up", "netem", "partition", "kill", "pause", "resume", "heal"]
    static let netemKeys = ["interface", "delay_ms", "jitter_ms", "loss_percent", "rate", "off"]

    /// `fault: heal`, or `fault: {VERB: …}` with one of `faultVerbs` (see the README's Faults section).
    mutating func readFault(_ node: Yams.Node) -> FaultStep? {
        if case .scalar(let scalar) = node, scalar.string == "heal" {
            guard let first = topology.nodes.keys.first else { return nil }
            return FaultStep(node: first, action: .heal)
        }
        guard let entries = walker.mapping(node, "'fault'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.faultVerbs, in: "'fault'")
        guard entries.count == 1, let verb = entries.first else {
            walker.error(
                .invalidValue, entries.isEmpty ? "'fault' says nothing to do" : "'fault' mixes several faults",
                at: node, hint: "give exactly one of: \(Self.faultVerbs.joined(separator: ", ")) (one fault per step)")
            return nil
        }
        switch verb.key {
        case "link_down", "link_up":
            guard let link = readFaultLink(verb.value, "'\(verb.key)'") else { return nil }
            return FaultStep(
                node: link.endpoint.node, action: verb.key == "link_down" ? .linkDown(link) : .linkUp(link))
        case "netem":
            return readNetem(verb.value)
        case "partition":
            return readPartition(verb.value)
        case "kill", "pause", "resume":
            guard let signal = FaultSignal(rawValue: verb.key), let process = readFaultProcess(verb.value, verb.key)
            else { return nil }
            return FaultStep(node: process.node, action: .signal(signal, process))
        default:
            guard let first = topology.nodes.keys.first else { return nil }
            return FaultStep(node: first, action: .heal)
        }
    }

    /// `"node:interface"` (an interface of the topology), or `{segment: "node:interface"}`.
    private mutating func readFaultLink(_ node: Yams.Node, _ what: String) -> FaultLink? {
        if case .mapping = node {
            guard let entries = walker.mapping(node, what) else { return nil }
            walker.rejectUnknownKeys(entries, allowed: ["segment"], in: what)
            guard let segment = entries.first(where: { $0.key == "segment" }) else {
                walker.error(.missingKey, "\(what) has no 'segment'", at: node, hint: "write segment: NODE:INTERFACE")
                return nil
            }
            return readEndpoint(segment.value, "'segment'", onSegment: true).map {
                FaultLink(endpoint: $0, wholeSegment: true)
            }
        }
        return readEndpoint(node, what, onSegment: false).map { FaultLink(endpoint: $0, wholeSegment: false) }
    }

    /// `node:interface` of the topology (node by name or alias); `onSegment`: attached to a segment.
    mutating func readEndpoint(_ node: Yams.Node, _ what: String, onSegment: Bool) -> Endpoint? {
        guard let text = walker.nonEmptyString(node, what) else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let found = topology.node(named: parts[0]) else {
            walker.error(
                .unknownReference, "\(what) '\(text)' names no node interface of the topology", at: node,
                hint:
                    "write NODE:INTERFACE, e.g. \(topology.nodes.values.first.map { "\($0.name):\($0.interfaces.keys.first ?? "eth1")" } ?? "alfa:eth1")"
            )
            return nil
        }
        guard found.interfaces[parts[1]] != nil else {
            walker.error(
                .unknownReference, "node '\(found.name)' has no interface '\(parts[1])'", at: node,
                hint: "interfaces of \(found.name): \(found.interfaces.keys.joined(separator: ", "))")
            return nil
        }
        if onSegment, topology.segment(of: found.name, interface: parts[1]) == nil {
            walker.error(
                .invalidValue, "\(found.name):\(parts[1]) is on no link of the topology", at: node,
                hint: "name an interface that a link of the topology joins")
            return nil
        }
        return Endpoint(node: found.name, interface: parts[1])
    }

    private mutating func readNetem(_ node: Yams.Node) -> FaultStep? {
        guard let entries = walker.mapping(node, "'netem'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.netemKeys, in: "'netem'")
        let field = { (key: String) in entries.first { $0.key == key } }
        guard let interface = field("interface") else {
            walker.error(.missingKey, "'netem' has no 'interface'", at: node, hint: "write interface: NODE:INTERFACE")
            return nil
        }
        guard let endpoint = readEndpoint(interface.value, "'interface'", onSegment: false) else { return nil }
        if let off = field("off"), walker.bool(off.value, "'off'") == true {
            return FaultStep(node: endpoint.node, action: .netem(endpoint, nil))
        }
        var settings = NetemSettings()
        settings.delayMilliseconds = field("delay_ms").flatMap {
            walker.int($0.value, "'delay_ms'", range: 0...600_000)
        }
        settings.jitterMilliseconds = field("jitter_ms").flatMap {
            walker.int($0.value, "'jitter_ms'", range: 0...600_000)
        }
        if let loss = field("loss_percent"), let text = walker.string(loss.value, "'loss_percent'") {
            if let value = Double(text), value >= 0, value <= 100 {
                settings.lossPercent = value
            } else {
                walker.error(
                    .wrongType, "'loss_percent' must be a number from 0 to 100, found '\(text)'", at: loss.value,
                    hint: "write a percentage such as 5 or 0.5")
            }
        }
        if let rate = field("rate"), let text = walker.string(rate.value, "'rate'") {
            if NetemSettings.isRate(text) {
                settings.rate = text
            } else {
                walker.error(
                    .invalidValue, "'rate' must be digits and a unit, found '\(text)'", at: rate.value,
                    hint: "write e.g. 1mbit, 500kbit, 10mbps (units: bit kbit mbit gbit bps kbps mbps)")
            }
        }
        if settings.jitterMilliseconds != nil, settings.delayMilliseconds == nil {
            walker.error(
                .missingKey, "'jitter_ms' needs 'delay_ms'", at: node, hint: "jitter varies a delay: give delay_ms too")
        }
        guard !settings.arguments.isEmpty || entries.count > 1 else {
            walker.error(
                .missingKey, "'netem' sets nothing", at: node,
                hint: "give delay_ms, jitter_ms, loss_percent or rate, or off: true to take netem off")
            return nil
        }
        guard !settings.arguments.isEmpty else { return nil }
        return FaultStep(node: endpoint.node, action: .netem(endpoint, settings))
    }

    private mutating func readPartition(_ node: Yams.Node) -> FaultStep? {
        guard let entries = walker.mapping(node, "'partition'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: ["segment", "groups"], in: "'partition'")
        guard let segmentEntry = entries.first(where: { $0.key == "segment" }),
            let groupsEntry = entries.first(where: { $0.key == "groups" })
        else {
            walker.error(
                .missingKey, "'partition' needs 'segment' and 'groups'", at: node,
                hint: "write segment: NODE:INTERFACE and groups: [[alfa, beta], [gamma]]")
            return nil
        }
        guard let segment = readEndpoint(segmentEntry.value, "'segment'", onSegment: true),
            let members = topology.segment(of: segment.node, interface: segment.interface)?.endpoints.map(\.node),
            let lists = walker.sequence(groupsEntry.value, "'groups'")
        else { return nil }
        var groups: [[NodeName]] = []
        var seen: Set<NodeName> = []
        for list in lists {
            guard let items = walker.sequence(list, "a group") else { continue }
            var group: [NodeName] = []
            for item in items {
                guard let resolved = resolveNode(item, "a group member") else { continue }
                if !members.contains(resolved.name) {
                    walker.error(
                        .invalidValue, "node '\(resolved.name)' is not on the segment of \(segment)", at: item,
                        hint: "the segment joins \(members.map(\.rawValue).joined(separator: ", "))")
                } else if !seen.insert(resolved.name).inserted {
                    walker.error(
                        .duplicate, "node '\(resolved.name)' is in two groups", at: item, hint: "put it in one")
                } else {
                    group.append(resolved.name)
                }
            }
            if !group.isEmpty { groups.append(group) }
        }
        guard !groups.isEmpty else {
            walker.error(.missingKey, "'groups' is empty", at: groupsEntry.value, hint: "list the groups of nodes")
            return nil
        }
        return FaultStep(node: segment.node, action: .partition(segment: segment, groups: groups))
    }

    /// `NODE`, or `{node: NODE, service: NAME}`.
    private mutating func readFaultProcess(_ node: Yams.Node, _ verb: String) -> FaultProcess? {
        guard case .mapping = node else { return resolveNode(node, "'\(verb)'").map { .node($0.name) } }
        guard let entries = walker.mapping(node, "'\(verb)'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: ["node", "service"], in: "'\(verb)'")
        guard let target = entries.first(where: { $0.key == "node" }) else {
            walker.error(.missingKey, "'\(verb)' has no 'node'", at: node, hint: "write node: NAME")
            return nil
        }
        guard let resolved = resolveNode(target.value, "'node'") else { return nil }
        guard let service = entries.first(where: { $0.key == "service" }) else { return .node(resolved.name) }
        guard let text = walker.nonEmptyString(service.value, "'service'"), let name = ServiceName(text) else {
            return nil
        }
        return .service(resolved.name, name)
    }
}
