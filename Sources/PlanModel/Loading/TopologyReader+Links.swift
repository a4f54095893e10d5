import OrderedCollections
import Yams

extension TopologyReader {
    mutating func readLinks(_ value: Yams.Node, nodes: inout OrderedDictionary<NodeName, TopologyNode>) -> [Segment] {
        guard let items = walker.sequence(value, "'links'") else { return [] }
        var segments: [Segment] = []
        var usedBy: [Endpoint: Int] = [:]
        for (index, item) in items.enumerated() {
            let what = "link \(index + 1)"
            guard let entries = walker.mapping(item, what) else { continue }
            walker.rejectUnknownKeys(entries, allowed: ["endpoints", "name"], in: what)
            var name = "link\(index + 1)"
            if let nameEntry = entries.first(where: { $0.key == "name" }),
                let given = walker.nonEmptyString(nameEntry.value, "'name' of \(what)")
            {
                name = given
            }
            guard let endpointsEntry = entries.first(where: { $0.key == "endpoints" }) else {
                walker.error(
                    .missingKey, "\(what) has no 'endpoints'", at: item,
                    hint: "add endpoints: [\"alfa:eth1\", \"beta:eth1\"]")
                continue
            }
            guard let list = walker.strings(endpointsEntry.value, "'endpoints' of \(what)") else { continue }
            var endpoints: [Endpoint] = []
            for (text, node) in list {
                guard let endpoint = readEndpoint(text, at: node, nodes: &nodes) else { continue }
                if endpoints.contains(endpoint) {
                    walker.error(
                        .duplicate, "\(endpoint) appears twice in \(what)", at: node, hint: "list each interface once")
                } else if let other = usedBy[endpoint] {
                    walker.error(
                        .duplicate, "\(endpoint) is already attached to link \(other)", at: node,
                        hint: "an interface sits on one segment; list every member of a shared segment in one link")
                } else {
                    endpoints.append(endpoint)
                    usedBy[endpoint] = index + 1
                }
            }
            if list.count < 2 {
                walker.error(
                    .invalidValue,
                    "\(what) has \(list.count) endpoint\(list.count == 1 ? "" : "s"); a link joins at least 2",
                    at: endpointsEntry.value, hint: "add the other end, e.g. \"beta:eth1\"")
            }
            segments.append(Segment(name: name, endpoints: endpoints))
        }
        return segments
    }

    /// Parses `node:interface`; an interface named only in a link is added to the node.
    private mutating func readEndpoint(
        _ text: String, at node: Yams.Node, nodes: inout OrderedDictionary<NodeName, TopologyNode>
    ) -> Endpoint? {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            walker.error(
                .invalidValue, "endpoint '\(text)' is not 'node:interface'", at: node,
                hint: "write the node name and the interface name separated by ':', e.g. \"alfa:eth1\"")
            return nil
        }
        let (written, interfaceName) = (parts[0], parts[1])
        guard let nodeName = NodeName(written), var owner = nodes[nodeName] else {
            let known = nodes.keys.map(\.rawValue).joined(separator: ", ")
            let suggestion =
                YAMLWalker.closest(to: written, among: nodes.keys.map(\.rawValue)).map { "did you mean '\($0)'? " }
                ?? ""
            walker.error(
                .unknownReference, "link endpoint names unknown node '\(written)'", at: node,
                hint: "\(suggestion)nodes declared in this topology: \(known.isEmpty ? "none" : known)")
            return nil
        }
        guard Names.isValidInterfaceName(interfaceName), interfaceName != "lo" else {
            walker.error(
                .invalidValue, Self.interfaceNameProblem(interfaceName), at: node,
                hint: "Linux interface names are 1–15 bytes of letters, digits, '_', '.', '-' (and not 'lo')")
            return nil
        }
        if owner.interfaces[interfaceName] == nil {
            owner.interfaces[interfaceName] = TopologyInterface(name: interfaceName)
            nodes[nodeName] = owner
        }
        return Endpoint(node: nodeName, interface: interfaceName)
    }

    /// A topology runs either on the local lab (no node has an SSH endpoint) or over SSH (all do).
    mutating func checkRemoteConsistency(_ nodes: OrderedDictionary<NodeName, TopologyNode>, entry: YAMLEntry) {
        let remote = nodes.values.filter { $0.ssh != nil }.map(\.name.rawValue)
        let local = nodes.values.filter { $0.ssh == nil }.map(\.name.rawValue)
        guard !remote.isEmpty, !local.isEmpty else { return }
        walker.error(
            .missingKey,
            "nodes \(local.joined(separator: ", ")) have no SSH endpoint while \(remote.joined(separator: ", ")) do",
            at: entry.keyNode,
            hint:
                "a topology runs either on the local lab (no 'ssh' anywhere) or over SSH (give every node a 'host' or 'proxy_command', or set defaults.ssh)"
        )
    }
}
