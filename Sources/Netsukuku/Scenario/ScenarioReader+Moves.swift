import PlanModel
import Yams

/// The settings shared by `enter_net` and `migrate`.
struct MoveFields {
    var id: Located<String>?
    var gnode: GNodeSelector?
    var network: Located<String>?
    var level: Located<Int>?
    var address: Located<GNodeAddress>?
    var real: Located<GNodeAddress>?
    var namespace: Located<String>?
    var nics: [String: NICSpec] = [:]
    var isComplete: Bool { id != nil && gnode != nil && address != nil }
}

extension ScenarioReader {
    mutating func readEntry(_ node: Yams.Node) -> EntrySpec? {
        guard let entries = walker.mapping(node, "'enter_net'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.entryKeys, in: "'enter_net'")
        var into: Located<String>?
        var waits: [Located<String>] = []
        let fields = readMoveFields(entries, node: node, operation: "enter_net")
        for entry in entries {
            switch entry.key {
            case "into": into = readSystemName(entry.value, "'into'")
            case "waits_for":
                waits = (walker.strings(entry.value, "'waits_for'") ?? []).map {
                    Located($0.0, at: walker.location(of: $0.1))
                }
            default: break
            }
        }
        if !entries.contains(where: { $0.key == "into" }) {
            walker.error(
                .missingKey, "'enter_net' has no 'into'", at: node,
                hint: "name a system whose principal identity is in the network to enter, e.g. 'into: gamma'")
        }
        if !entries.contains(where: { $0.key == "real" }) && waits.isEmpty
            && entries.contains(where: { $0.key == "address" })
        {
            walker.error(
                .missingKey, "'enter_net' has neither 'real' nor 'waits_for'", at: node,
                hint: "give 'real:' (the position taken at once) or 'waits_for:' the migrations that free it")
        }
        guard fields.isComplete, let id = fields.id, let gnode = fields.gnode, let address = fields.address,
            let into
        else { return nil }
        return EntrySpec(
            id: id, gnode: gnode, network: fields.network, level: fields.level, into: into, address: address,
            real: fields.real, waitsFor: waits, namespace: fields.namespace ?? id, nics: fields.nics)
    }

    mutating func readMigration(_ node: Yams.Node) -> MigrationSpec? {
        guard let entries = walker.mapping(node, "'migrate'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.migrationKeys, in: "'migrate'")
        var removesOuterArcs = true
        let fields = readMoveFields(entries, node: node, operation: "migrate")
        for entry in entries where entry.key == "outer_arcs" {
            switch walker.string(entry.value, "'outer_arcs'") {
            case "remove": removesOuterArcs = true
            case "keep": removesOuterArcs = false
            case let text?:
                walker.error(
                    .invalidValue, "'outer_arcs' must be remove or keep, found '\(text)'", at: entry.value,
                    hint: "remove (before the address change, as the script does) or keep (use remove_outer_arcs later)"
                )
            case nil: break
            }
        }
        if !entries.contains(where: { $0.key == "real" }) && entries.contains(where: { $0.key == "address" }) {
            walker.error(
                .missingKey, "'migrate' has no 'real'", at: node, hint: "give the real position the g-node ends in")
        }
        guard fields.isComplete, let id = fields.id, let gnode = fields.gnode, let address = fields.address,
            let real = fields.real
        else { return nil }
        return MigrationSpec(
            id: id, gnode: gnode, network: fields.network, level: fields.level, address: address, real: real,
            removesOuterArcs: removesOuterArcs, namespace: fields.namespace ?? id, nics: fields.nics)
    }

    mutating func readMoveFields(_ entries: [YAMLEntry], node: Yams.Node, operation: String) -> MoveFields {
        var fields = MoveFields()
        for entry in entries {
            switch entry.key {
            case "id":
                fields.id = readName(entry.value, "'id'")
            case "gnode":
                if case .scalar = entry.value {
                    fields.gnode = readGNode(entry.value, "'gnode'").map { .address($0) }
                } else {
                    let systems = readSystemNames(entry.value, "'gnode'")
                    if !systems.isEmpty { fields.gnode = .systems(systems) }
                }
            case "network": fields.network = readSystemName(entry.value, "'network'")
            case "level":
                fields.level = walker.int(entry.value, "'level'", range: 0...(scheme.levels - 1)).map {
                    Located($0, at: walker.location(of: entry.value))
                }
            case "address": fields.address = readGNode(entry.value, "'address'")
            case "real": fields.real = readGNode(entry.value, "'real'")
            case "namespace": fields.namespace = readName(entry.value, "'namespace'")
            case "identities": fields.nics = readNICs(entry.value)
            default: break
            }
        }
        for key in ["id", "gnode", "address"] where !entries.contains(where: { $0.key == key }) {
            walker.error(.missingKey, "'\(operation)' has no '\(key)'", at: node, hint: Self.moveHints[key] ?? "")
        }
        return fields
    }

    static let moveHints = [
        "id": "name the operation (entr05, migr01); it also names the new namespace unless 'namespace' is given",
        "gnode": "give the systems of the g-node ([delta, mu]) or its address (3·1·0·)",
        "address": "give the position taken at once, e.g. 2·1·1·2 or 2·1·2· for a g-node",
    ]

    /// A namespace-like name (`entr02`): letters, digits, '_', '.', '-'.
    mutating func readName(_ node: Yams.Node, _ what: String) -> Located<String>? {
        guard let name = walker.nonEmptyString(node, what) else { return nil }
        guard Names.isValidNamespaceName(name), name.count <= 10 else {
            walker.error(
                .invalidValue, "\(what) '\(name)' cannot name a namespace", at: node,
                hint: "use at most 10 letters, digits, '_', '.' or '-' (its macvlan is '<name>_eth1', 15 at most)")
            return nil
        }
        return Located(name, at: walker.location(of: node))
    }

    /// `identities: {beta: {mac: …, linklocal: …}}`: the new namespace's NIC per member system.
    mutating func readNICs(_ node: Yams.Node) -> [String: NICSpec] {
        guard let entries = walker.mapping(node, "'identities'") else { return [:] }
        var nics: [String: NICSpec] = [:]
        for entry in entries {
            guard readSystemName(entry.keyNode, "'identities'", name: entry.key),
                let fields = walker.mapping(entry.value, "the identity of '\(entry.key)'")
            else { continue }
            walker.rejectUnknownKeys(fields, allowed: ["mac", "linklocal"], in: "the identity of '\(entry.key)'")
            var nic = NICSpec(location: walker.location(of: entry.keyNode))
            for field in fields {
                if field.key == "mac" { nic.mac = readMAC(field.value) }
                if field.key == "linklocal" { nic.linkLocal = readLinkLocal(field.value) }
            }
            nics[entry.key] = nic
        }
        return nics
    }
}
