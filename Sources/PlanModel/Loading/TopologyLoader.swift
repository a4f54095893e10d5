import OrderedCollections
import Yams

/// Reads topology files. Every problem is reported at once, sorted by position.
///
/// The shape follows containerlab (`name`, `nodes`, `links[].endpoints: ["a:eth1", "b:eth1"]`, `defaults`),
/// and the `nodes`/`links`/`defaults` keys may also sit under `topology:` as containerlab writes them.
public enum TopologyLoader {
    /// Loads and validates the topology at `path`.
    /// - Throws: `InputErrors` with every problem found.
    public static func load(path: String) throws(InputErrors) -> Topology {
        let bytes = try InputFile.bytes(at: path)
        let text = try InputFile.text(from: bytes, path: path)
        return try parse(text: text, path: path, fingerprint: InputFile.fingerprint(bytes))
    }

    /// Validates topology text that came from `path`.
    /// - Throws: `InputErrors` with every problem found.
    public static func parse(text: String, path: String, fingerprint: String? = nil) throws(InputErrors) -> Topology {
        let document = YAMLDocument(source: SourceText(path: path, text: text))
        var walker = YAMLWalker(document: document)
        var reader = TopologyReader(walker: walker)
        let topology = document.root.flatMap {
            reader.read(root: $0, fingerprint: fingerprint ?? InputFile.fingerprint(Array(text.utf8)))
        }
        walker = reader.walker
        if document.root == nil && walker.errors.isEmpty {
            walker.error(
                .missingKey, "the topology file is empty", at: nil,
                hint: "start with 'name: <lab name>' and a 'nodes:' mapping")
        }
        let errors = walker.errors.filter { $0.severity == .error }
        guard errors.isEmpty, let topology else { throw InputErrors(walker.errors) }
        return topology
    }
}

/// The state of one topology read: the walker with its errors, plus cross-node bookkeeping.
struct TopologyReader {
    var walker: YAMLWalker
    var macOwners: [MACAddress: String] = [:]
    var aliasOwners: [String: (owner: String, node: Yams.Node)] = [:]

    init(walker: YAMLWalker) { self.walker = walker }

    static let topLevelKeys = ["name", "nodes", "links", "defaults", "topology", "provider"]
    static let sectionKeys = ["nodes", "links", "defaults"]

    mutating func read(root: Yams.Node, fingerprint: String) -> Topology? {
        guard let entries = walker.mapping(root, "the topology") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.topLevelKeys, in: "the topology")
        var sections: [String: YAMLEntry] = [:]
        for entry in entries where Self.sectionKeys.contains(entry.key) { sections[entry.key] = entry }
        if let nested = entries.first(where: { $0.key == "topology" }),
            let inner = walker.mapping(nested.value, "'topology'")
        {
            walker.rejectUnknownKeys(inner, allowed: Self.sectionKeys, in: "'topology'")
            for entry in inner where Self.sectionKeys.contains(entry.key) {
                if sections[entry.key] != nil {
                    walker.error(
                        .duplicate, "'\(entry.key)' is given both at the top level and under 'topology'",
                        at: entry.keyNode, hint: "keep one of the two")
                }
                sections[entry.key] = entry
            }
        }

        let name = readName(entries.first { $0.key == "name" }, root: root)
        let defaults = sections["defaults"].map { readDefaults($0.value) } ?? NodeDefaults()
        guard let nodesEntry = sections["nodes"] else {
            walker.error(
                .missingKey, "the topology has no 'nodes'", at: root,
                hint: "add a 'nodes:' mapping with one entry per system, e.g. 'alfa: {}'")
            return nil
        }
        var nodes = readNodes(nodesEntry, defaults: defaults)
        let segments = sections["links"].map { readLinks($0.value, nodes: &nodes) } ?? []
        checkRemoteConsistency(nodes, entry: nodesEntry)
        let providerEntry = entries.first { $0.key == "provider" }
        let provider = providerEntry.flatMap { readProvider($0.value) }
        checkProvider(provider, entry: providerEntry, nodes: nodes, nodesEntry: nodesEntry)
        guard let name else { return nil }
        var topology = Topology(
            name: name, nodes: nodes, segments: segments, sourcePath: walker.source.path, contentHash: fingerprint)
        topology.provider = provider
        return topology
    }

    private mutating func readName(_ entry: YAMLEntry?, root: Yams.Node) -> String? {
        guard let entry else {
            walker.error(
                .missingKey, "the topology has no 'name'", at: root,
                hint: "add 'name: <lab name>' (letters, digits, '-', '_'; at most 32 characters)")
            return nil
        }
        guard let name = walker.nonEmptyString(entry.value, "'name'") else { return nil }
        guard Names.isValidLabName(name) else {
            walker.error(
                .invalidValue, "lab name '\(name)' is not usable", at: entry.value,
                hint: "use letters, digits, '-' and '_', starting with a letter or digit, at most 32 characters")
            return nil
        }
        return name
    }

    private mutating func readNodes(_ entry: YAMLEntry, defaults: NodeDefaults) -> OrderedDictionary<
        NodeName, TopologyNode
    > {
        guard let entries = walker.mapping(entry.value, "'nodes'") else { return [:] }
        if entries.isEmpty {
            walker.error(.missingKey, "'nodes' is empty", at: entry.value, hint: "declare at least one node")
        }
        var nodes: OrderedDictionary<NodeName, TopologyNode> = [:]
        for nodeEntry in entries {
            guard let name = NodeName(nodeEntry.key) else {
                walker.error(
                    .invalidValue, "node name '\(nodeEntry.key)' is not usable", at: nodeEntry.keyNode,
                    hint: "use letters, digits, '-' and '_', starting with a letter or digit (it becomes a hostname)")
                continue
            }
            if let node = readNode(nodeEntry, name: name, defaults: defaults) { nodes[name] = node }
        }
        for (alias, owner) in aliasOwners
        where NodeName(alias).map({ nodes[$0] != nil }) == true && alias != owner.owner {
            walker.error(
                .duplicate, "alias '\(alias)' of node '\(owner.owner)' is also the name of a node", at: owner.node,
                hint: "an alias must name one system only")
        }
        return nodes
    }
}
