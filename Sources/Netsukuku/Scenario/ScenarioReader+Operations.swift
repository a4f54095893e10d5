import PlanModel
import Yams

extension ScenarioReader {
    static let operationNames = [
        "init", "add_real_arc", "arc", "remove_arc", "remove_real_arc", "enter_net", "enter_net_phase_2", "migrate",
        "remove_outer_arcs", "dismiss", "remove_identity",
    ]
    static let entryKeys = [
        "id", "gnode", "network", "level", "into", "address", "real", "waits_for", "namespace", "identities",
    ]
    static let migrationKeys = [
        "id", "gnode", "network", "level", "address", "real", "outer_arcs", "namespace", "identities",
    ]

    mutating func readOperation(_ node: Yams.Node) -> ScenarioOperation? {
        guard let entries = walker.mapping(node, "an operation"), let entry = entries.first else {
            if case .mapping = node {
                walker.error(.missingKey, "an operation is empty", at: node, hint: operationHint)
            }
            return nil
        }
        if entries.count > 1 {
            walker.error(
                .invalidValue, "an operation has more than one key ('\(entries[1].key)')", at: entries[1].keyNode,
                hint: "write one operation per list item; its settings go in a mapping under the operation's name")
            return nil
        }
        let location = walker.location(of: entry.keyNode)
        let kind: ScenarioOperation.Kind?
        switch entry.key {
        case "init": kind = .start(readSystemNames(entry.value, "'init'"))
        case "add_real_arc", "arc": kind = readArc(entry.value, entry.key).map { .addArc($0) }
        case "remove_arc", "remove_real_arc": kind = readArc(entry.value, entry.key).map { .removeArc($0) }
        case "enter_net": kind = readEntry(entry.value).map { .enter($0) }
        case "enter_net_phase_2":
            kind = walker.nonEmptyString(entry.value, "'enter_net_phase_2'").map {
                .enterPhase2(Located($0, at: walker.location(of: entry.value)))
            }
        case "migrate": kind = readMigration(entry.value).map { .migrate($0) }
        case "remove_outer_arcs": kind = .removeOuterArcs(readIdentities(entry.value, "'remove_outer_arcs'"))
        case "dismiss", "remove_identity": kind = .dismiss(readIdentities(entry.value, "'\(entry.key)'"))
        default:
            let suggestion =
                YAMLWalker.closest(to: entry.key, among: Self.operationNames).map { "did you mean '\($0)'? " } ?? ""
            walker.error(
                .unknownKey, "unknown operation '\(entry.key)'", at: entry.keyNode,
                hint: "\(suggestion)operations: \(Self.operationNames.joined(separator: ", "))")
            return nil
        }
        return kind.map { ScenarioOperation(kind: $0, name: entry.key, location: location) }
    }

    var operationHint: String { "write '- <operation>: <settings>', e.g. '- init: [alfa, beta]'" }

    /// `[a, b]` or `{between: [a, b], cost: 2}`.
    mutating func readArc(_ node: Yams.Node, _ name: String) -> ArcSpec? {
        var endsNode = node
        var cost = 1
        if case .mapping = node, let fields = walker.mapping(node, "'\(name)'") {
            walker.rejectUnknownKeys(fields, allowed: ["between", "cost"], in: "'\(name)'")
            guard let between = fields.first(where: { $0.key == "between" }) else {
                walker.error(.missingKey, "'\(name)' has no 'between'", at: node, hint: "write 'between: [a, b]'")
                return nil
            }
            endsNode = between.value
            if let costField = fields.first(where: { $0.key == "cost" }) {
                cost = walker.int(costField.value, "'cost'", range: 1...1_000_000) ?? 1
            }
        }
        guard let items = walker.sequence(endsNode, "the ends of '\(name)'") else { return nil }
        guard items.count == 2 else {
            walker.error(
                .invalidValue, "an arc joins two systems, found \(items.count)", at: endsNode,
                hint: "write '[a, b]'")
            return nil
        }
        let ends = items.compactMap { readSystemName($0, "an end of '\(name)'") }
        return ends.count == 2 ? ArcSpec(ends: ends, cost: cost) : nil
    }

    /// `beta/migr01`, `beta`, or a list of them.
    mutating func readIdentities(_ node: Yams.Node, _ what: String) -> [IdentityReference] {
        let items: [(String, Yams.Node)] = walker.strings(node, what) ?? []
        return items.compactMap { text, item in
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let system = parts.first, !system.isEmpty, parts.count == 1 || !parts[1].isEmpty
            else {
                walker.error(
                    .invalidValue, "'\(text)' does not name an identity", at: item,
                    hint: "write 'system/namespace' (beta/migr01), or 'system' for its principal identity")
                return nil
            }
            guard readSystemName(item, what, name: system) else { return nil }
            return IdentityReference(
                system: system, namespace: parts.count == 2 ? parts[1] : nil, location: walker.location(of: item))
        }
    }

    mutating func readSystemName(_ node: Yams.Node, _ what: String, name: String) -> Bool {
        guard systemNames.contains(name) else {
            walker.error(
                .unknownReference, "unknown system '\(name)'", at: node,
                hint: "systems of this scenario: \(systemNames.joined(separator: ", "))")
            return false
        }
        return true
    }
}
