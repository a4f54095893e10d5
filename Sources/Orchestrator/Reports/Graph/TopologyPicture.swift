public import PlanModel

/// The topology as a Graphviz graph: every node, every segment (with its lab bridge) and the interfaces
/// joining them; with frames, also the identities (namespaces as boxes inside their node's box) and arcs
/// any frame holds. Pure: Graphviz lays it out (`Graphviz`), nothing here places anything.
///
/// One graph serves every frame, so the layout stays put while a report steps through a run: `presence`
/// says, for each element id that comes and goes, in which frames it exists.
public struct TopologyPicture: Sendable {
    public let topology: Topology
    public let frames: [TopologyFrame]

    public init(topology: Topology, frames: [TopologyFrame] = []) {
        self.topology = topology
        self.frames = frames
    }

    /// Element id (as in the SVG) → whether it exists in each frame, for the elements not always there.
    public var presence: [String: [Bool]] {
        var result: [String: [Bool]] = [:]
        for identity in namespaceIdentities {
            result[elementID(identity)] = frames.map { $0.identities[identity] != nil }
        }
        for arc in allArcs { result[elementID(arc)] = frames.map { $0.arcs.contains(arc) } }
        return result
    }

    /// The graph in the DOT language.
    public var dot: String {
        var lines = [
            "digraph \(quote(topology.name)) {",
            "  graph [fontname=\"Helvetica\", fontsize=11, bgcolor=\"transparent\", nodesep=0.35, ranksep=0.7];",
            "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", "
                + "fillcolor=\"#f3f6fb\", color=\"#4f5f78\"];",
            "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#8a96a8\"];",
        ]
        for (index, segment) in topology.segments.enumerated() {
            lines.append(
                "  \(quote("s\(index)")) [id=\(quote("g-s\(index)")), shape=ellipse, fillcolor=\"#fff3cf\", "
                    + "label=\(quote("\(segment.name)\nseg\(index)"))];")
        }
        let withNamespaces = Set(namespaceIdentities.map(\.node))
        for (node, topologyNode) in topology.nodes {
            lines += nodeLines(node, topologyNode, clustered: withNamespaces.contains(node))
        }
        for (index, segment) in topology.segments.enumerated() {
            for endpoint in segment.endpoints {
                let identity = TopologyFrame.Identity(node: endpoint.node)
                lines.append(
                    "  \(quote("s\(index)")) -> \(quote(graphName(identity))) [id=\(quote("g-e\(index)-\(endpoint)")), "
                        + "dir=none, label=\(quote(endpoint.interface))];")
            }
        }
        for arc in allArcs {
            lines.append(
                "  \(quote(graphName(arc.from))) -> \(quote(graphName(arc.to))) [id=\(quote(elementID(arc))), "
                    + "class=\"arc\", color=\"#1f6fd1\", penwidth=1.6, arrowsize=0.6, constraint=false];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func nodeLines(_ node: NodeName, _ topologyNode: TopologyNode, clustered: Bool) -> [String] {
        let title = ([node.rawValue] + topologyNode.aliases).joined(separator: "  ")
        let main = TopologyFrame.Identity(node: node)
        let addresses = addressLines(main, documented: topologyNode)
        guard clustered else {
            return [
                "  \(quote(graphName(main))) [id=\(quote("g-n-\(node)")), label=\(quote(([title] + addresses).joined(separator: "\n")))];"
            ]
        }
        var lines = [
            "  subgraph \(quote("cluster_\(node)")) {",
            "    id=\(quote("g-n-\(node)")); label=\(quote(title)); style=\"rounded\"; color=\"#4f5f78\"; fontsize=11;",
            "    \(quote(graphName(main))) [id=\(quote(elementID(main))), label=\(quote((["default"] + addresses).joined(separator: "\n")))];",
        ]
        for identity in namespaceIdentities where identity.node == node {
            let label = ["netns \(identity.namespace ?? "")"] + addressLines(identity, documented: nil)
            lines.append(
                "    \(quote(graphName(identity))) [id=\(quote(elementID(identity))), style=\"rounded,dashed,filled\", "
                    + "fillcolor=\"#eaf5ea\", label=\(quote(label.joined(separator: "\n")))];")
        }
        lines.append("  }")
        return lines
    }

    /// Link-local addresses the identity holds in any frame; without frames, the topology's documented ones.
    private func addressLines(_ identity: TopologyFrame.Identity, documented: TopologyNode?) -> [String] {
        var seen: [String] = []
        for frame in frames {
            for address in frame.identities[identity] ?? [] where !seen.contains(address) { seen.append(address) }
        }
        if frames.isEmpty, let documented {
            seen = documented.interfaces.values.flatMap { interface in
                interface.addresses.map { "\(interface.name) \($0.address)" }
            }
        }
        return seen
    }

    private var namespaceIdentities: [TopologyFrame.Identity] {
        Set(frames.flatMap(\.identities.keys)).filter { $0.namespace != nil }.sorted()
    }

    private var allArcs: [TopologyFrame.Arc] { Set(frames.flatMap(\.arcs)).sorted() }

    private func graphName(_ identity: TopologyFrame.Identity) -> String {
        identity.namespace.map { "i:\(identity.node)/\($0)" } ?? "n:\(identity.node)"
    }

    /// Ids for the SVG: node names are plain; namespace names too (`ip netns` names), kept apart by `--`.
    public func elementID(_ identity: TopologyFrame.Identity) -> String {
        "g-i-\(identity.node)" + (identity.namespace.map { "--" + Self.idSafe($0) } ?? "")
    }

    public func elementID(_ arc: TopologyFrame.Arc) -> String {
        "g-a-"
            + [arc.from, arc.to].map { "\($0.node)" + ($0.namespace.map { "--" + Self.idSafe($0) } ?? "") }
            .joined(separator: "-to-") + (arc.device.map { "-" + Self.idSafe($0) } ?? "")
    }

    static func idSafe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    /// A DOT string: quotes and backslashes escaped, newlines as `\n` (a centred line break).
    func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
