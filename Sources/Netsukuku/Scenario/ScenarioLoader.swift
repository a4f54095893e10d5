import OrderedCollections
public import PlanModel
import Yams

/// Reads scenario files. Every problem is reported at once, located, with a hint.
///
/// ```yaml
/// scenario:
///   title: beta enters gamma's network
///   topology: topology.yaml
///   scheme: [2, 2, 2, 4]          # gsizes, level 0 first (the documentation's 4·2·2·2)
///   systems:
///     beta: {address: 1·0·1·0}
///     gamma: {address: 2·1·1·0}
///   operations:
///     - init: [beta, gamma]
///     - add_real_arc: [beta, gamma]
///     - enter_net: {id: entr02, gnode: [beta], into: gamma, address: 2·1·1·2, real: 2·1·1·1}
///     - dismiss: beta/entr02
/// ```
public enum ScenarioLoader {
    /// Loads the scenario at `path`.
    /// - Throws: `InputErrors` with every problem found.
    public static func load(path: String) throws(InputErrors) -> Scenario {
        try parse(text: InputFile.text(at: path), path: path)
    }

    /// Reads scenario text that came from `path`.
    /// - Throws: `InputErrors` with every problem found.
    public static func parse(text: String, path: String) throws(InputErrors) -> Scenario {
        let (scenario, errors) = read(text: text, path: path)
        guard errors.isEmpty, let scenario else { throw InputErrors(errors) }
        return scenario
    }

    /// Reads what it can: the scenario without the parts that have errors (nil when nothing is usable), and
    /// every error. The compiler goes on with the rest, so one pass reports every problem.
    public static func read(text: String, path: String) -> (scenario: Scenario?, errors: [InputError]) {
        let document = YAMLDocument(source: SourceText(path: path, text: text))
        var reader = ScenarioReader(walker: YAMLWalker(document: document))
        var scenario = document.root.flatMap { reader.read(root: $0) }
        // Nothing can be compiled against a scheme with errors.
        if reader.isSchemeBroken { scenario = nil }
        if document.root == nil && reader.walker.errors.isEmpty {
            reader.walker.error(
                .missingKey, "the scenario file is empty", at: nil, hint: "start with a 'scenario:' mapping")
        }
        return (scenario, reader.walker.errors.filter { $0.severity == .error })
    }

    /// Whether `text` is a scenario (a top-level `scenario:` key) rather than a plan.
    public static func isScenario(text: String) -> Bool {
        text.split(separator: "\n").contains { $0.hasPrefix("scenario:") }
    }
}

/// The state of one scenario read.
struct ScenarioReader {
    var walker: YAMLWalker
    var scheme = AddressScheme.pointOfConcept
    /// The scheme had errors: addresses are not checked against a scheme the user did not mean.
    var isSchemeBroken = false
    var systemNames: [String] = []

    static let topKeys = ["title", "topology", "scheme", "checks", "systems", "operations"]
    static let systemKeys = ["address", "anonymous", "anonymiser", "subnetlevel", "subnet", "nic", "mac", "linklocal"]

    mutating func read(root: Yams.Node) -> Scenario? {
        guard let top = walker.mapping(root, "the scenario file") else { return nil }
        walker.rejectUnknownKeys(top, allowed: ["scenario"], in: "the scenario file")
        guard let entry = top.first(where: { $0.key == "scenario" }) else {
            walker.error(
                .missingKey, "the file has no 'scenario:' key", at: root,
                hint: "a scenario starts with 'scenario:'; a file with 'steps:' is a plan")
            return nil
        }
        guard let entries = walker.mapping(entry.value, "'scenario'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.topKeys, in: "'scenario'")
        if let schemeEntry = entries.first(where: { $0.key == "scheme" }) { readScheme(schemeEntry.value) }
        var title = ""
        var topology: String?
        var checks = Scenario.CheckPolicy.operation
        var systems = OrderedDictionary<String, ScenarioSystem>()
        var operations: [ScenarioOperation] = []
        if let systemsEntry = entries.first(where: { $0.key == "systems" }) {
            systems = readSystems(systemsEntry.value)
        } else {
            walker.error(.missingKey, "the scenario has no 'systems'", at: entry.keyNode, hint: Self.systemsHint)
        }
        for item in entries {
            switch item.key {
            case "title": title = walker.string(item.value, "'title'") ?? ""
            case "topology": topology = walker.nonEmptyString(item.value, "'topology'")
            case "checks":
                guard let text = walker.string(item.value, "'checks'") else { continue }
                if let policy = Scenario.CheckPolicy(rawValue: text) {
                    checks = policy
                } else {
                    walker.error(
                        .invalidValue, "unknown check policy '\(text)'", at: item.value,
                        hint: "use one of: \(Scenario.CheckPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            case "operations":
                guard let list = walker.sequence(item.value, "'operations'") else { continue }
                operations = list.compactMap { readOperation($0) }
            default: break
            }
        }
        if !entries.contains(where: { $0.key == "operations" }) {
            walker.error(
                .missingKey, "the scenario has no 'operations'", at: entry.keyNode,
                hint: "add an 'operations:' list, starting with '- init: [system, …]'")
        }
        if title.isEmpty { title = walker.source.path.split(separator: "/").last.map(String.init) ?? "scenario" }
        return Scenario(
            title: title, topologyPath: topology, scheme: scheme, checks: checks, systems: systems,
            operations: operations, source: walker.source)
    }

    static let systemsHint = "add 'systems:', one entry per system: 'alfa: {address: 3·0·1·0}'"

    mutating func readScheme(_ node: Yams.Node) {
        var gsizes: [Int] = []
        if case .scalar = node, let text = walker.string(node, "'scheme'") {
            let parts = text.split(whereSeparator: { $0 == "·" || $0 == "." })
            gsizes = parts.compactMap { Int($0) }.reversed()
            guard gsizes.count == parts.count, !parts.isEmpty else {
                isSchemeBroken = true
                walker.error(
                    .invalidValue, "'\(text)' is not an address scheme", at: node,
                    hint: "write the gsizes top level first as the documentation does (4·2·2·2), "
                        + "or as a list level 0 first ([2, 2, 2, 4])")
                return
            }
        } else if let items = walker.sequence(node, "'scheme'") {
            gsizes = items.compactMap { walker.int($0, "a gsize", range: 1...(1 << 22)) }
            guard gsizes.count == items.count else {
                isSchemeBroken = true
                return
            }
        } else {
            return
        }
        do {
            scheme = try AddressScheme(gsizes: gsizes)
        } catch {
            isSchemeBroken = true
            walker.error(
                .invalidValue, error.description, at: node,
                hint: "use 2 to 6 levels, every gsize a power of two, at most 22 address bits, "
                    + "and a top gsize of at least the number of levels")
        }
    }

    /// A full address of the scheme, all ids real unless `allowsVirtual`.
    mutating func readAddress(_ node: Yams.Node, _ what: String, allowsVirtual: Bool = false)
        -> Located<NetsukukuAddress>?
    {
        guard let text = walker.nonEmptyString(node, what) else { return nil }
        guard let address = NetsukukuAddress(text) else {
            walker.error(
                .invalidValue, "\(what) '\(text)' is not an address", at: node,
                hint: "write the ids top level first, separated by '·' or '.', e.g. 3·1·0·1")
            return nil
        }
        if isSchemeBroken { return Located(address, at: walker.location(of: node)) }
        guard address.levels == scheme.levels else {
            walker.error(
                .invalidValue,
                "address '\(text)' is outside the scheme \(scheme): it has \(address.levels) ids, the scheme \(scheme.levels) levels",
                at: node, hint: schemeHint)
            return nil
        }
        if !allowsVirtual, let level = address.lowestVirtualLevel(in: scheme) {
            walker.error(
                .invalidValue,
                "address '\(text)' is outside the scheme \(scheme): id \(address.ids[level]) at level \(level) is "
                    + "not below its gsize \(scheme.gsizes[level])",
                at: node, hint: schemeHint)
            return nil
        }
        return Located(address, at: walker.location(of: node))
    }

    var schemeHint: String {
        let top = (0..<scheme.levels).reversed().map { String(scheme.gsizes[$0] - 1) }.joined(separator: "·")
        return "an initial address has \(scheme.levels) real ids, top level first, each below its level's gsize "
            + "(\(top) is the highest)"
    }

    /// A g-node address (`2·1·`) or a single node's (`2·1·1·0`); virtual ids allowed.
    mutating func readGNode(_ node: Yams.Node, _ what: String) -> Located<GNodeAddress>? {
        guard let text = walker.nonEmptyString(node, what) else { return nil }
        guard let gnode = GNodeAddress(text, levels: scheme.levels) else {
            if isSchemeBroken { return nil }
            walker.error(
                .invalidValue, "\(what) '\(text)' is outside the scheme \(scheme)", at: node,
                hint: "write a g-node top level first with a trailing '·' (2·1·), or a full address "
                    + "(\(scheme.levels) ids) for a single node")
            return nil
        }
        return Located(gnode, at: walker.location(of: node))
    }
}
