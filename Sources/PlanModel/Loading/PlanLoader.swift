import Yams

/// Reads YAML plans, resolving node names through a topology. Every problem is reported at once.
///
/// ```yaml
/// title: Arc between alfa and beta
/// steps:
///   - id: arc
///     op: arc
///     blocks:
///       - node: alfa
///         run: ip route add 169.254.96.141 dev eth1 src 169.254.69.30
///       - node: 𝛽            # aliases work too
///         run: |
///           ip route add 169.254.69.30 dev eth1 src 169.254.96.141
///   - id: ping
///     reach: {from: alfa, to: [169.254.96.141]}
/// ```
public enum PlanLoader {
    /// Loads and validates the plan at `path` against `topology`.
    /// - Throws: `InputErrors` with every problem found.
    public static func load(path: String, topology: Topology) throws(InputErrors) -> Plan {
        try parse(text: InputFile.text(at: path), path: path, topology: topology)
    }

    /// Validates plan text that came from `path`.
    /// - Throws: `InputErrors` with every problem found.
    /// - Parameters:
    ///   - scenarios: The compiler that lets a `conform` step name a scenario file as its documented blocks.
    public static func parse(
        text: String, path: String, topology: Topology, scenarios: (any ScenarioCompiling)? = nil
    ) throws(InputErrors) -> Plan {
        try parse(text: text, path: path, topology: topology, readsDocuments: true, scenarios: scenarios)
    }

    /// - Parameters:
    ///   - readsDocuments: Whether `conform` steps may read the documented files they name (a documented file
    ///     itself is read without, so two files cannot name each other forever).
    static func parse(
        text: String, path: String, topology: Topology, readsDocuments: Bool,
        scenarios: (any ScenarioCompiling)? = nil
    ) throws(InputErrors) -> Plan {
        let document = YAMLDocument(source: SourceText(path: path, text: text))
        var reader = PlanReader(walker: YAMLWalker(document: document), topology: topology)
        reader.readsDocuments = readsDocuments
        reader.scenarios = scenarios
        let plan = document.root.flatMap { reader.read(root: $0) }
        if document.root == nil && reader.walker.errors.isEmpty {
            reader.walker.error(.missingKey, "the plan file is empty", at: nil, hint: "start with a 'steps:' list")
        }
        let errors = reader.walker.errors.filter { $0.severity == .error }
        guard errors.isEmpty, let plan else { throw InputErrors(reader.walker.errors) }
        return plan
    }
}

/// The state of one plan read.
struct PlanReader {
    var walker: YAMLWalker
    let topology: Topology
    var stepIDs: [String: Int] = [:]
    /// Whether `conform` steps may read the files they name.
    var readsDocuments = true
    /// Compiles a scenario that a `conform` step names as its documented file (nil: such a file is refused).
    var scenarios: (any ScenarioCompiling)?
    static let conformKeys = [
        "node", "documented", "source", "bind", "on_difference", "retry", "commands_of", "rebase",
    ]

    static let planKeys = ["title", "name", "notes", "parameters", "steps"]
    static let stepKeys = [
        "id", "title", "op", "barrier", "notes", "blocks", "node", "netns", "run", "reach", "expect", "service", "wait",
        "together", "conform", "fault",
    ]
    static let blockKeys = ["node", "netns", "run"]
    static let serviceKeys = ["node", "netns", "name", "start", "env", "ready", "stop", "signal", "input", "grace_ms"]

    mutating func read(root: Yams.Node) -> Plan? {
        guard let entries = walker.mapping(root, "the plan") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.planKeys, in: "the plan")
        var title = ""
        var notes: [Note] = []
        var steps: [Step] = []
        var sawSteps = false
        for entry in entries {
            switch entry.key {
            case "title", "name": title = walker.string(entry.value, "'\(entry.key)'") ?? ""
            case "notes": notes = readNotes(entry.value)
            case "parameters": _ = readParameters(entry.value)  // resolved and put into the text before this read
            case "steps":
                sawSteps = true
                guard let items = walker.sequence(entry.value, "'steps'") else { continue }
                if items.isEmpty {
                    walker.error(.missingKey, "'steps' is empty", at: entry.value, hint: "add at least one step")
                }
                for (index, item) in items.enumerated() {
                    if let step = readStep(item, index: index) { steps.append(step) }
                }
            default: break
            }
        }
        if !sawSteps {
            walker.error(
                .missingKey, "the plan has no 'steps'", at: root,
                hint: "add a 'steps:' list; each step has 'blocks' (node + run), a 'reach' or an 'expect'")
        }
        if title.isEmpty { title = walker.source.path.split(separator: "/").last.map(String.init) ?? "plan" }
        return Plan(title: title, sourceKind: .yaml, sourcePath: walker.source.path, notes: notes, steps: steps)
    }

    mutating func readNotes(_ node: Yams.Node) -> [Note] {
        (walker.strings(node, "'notes'") ?? []).map { Note(text: $0.0, location: walker.location(of: $0.1)) }
    }

    /// Resolves a node name or alias; records an error listing the nodes when unknown.
    mutating func resolveNode(_ node: Yams.Node, _ what: String) -> (name: NodeName, label: String)? {
        guard let text = walker.nonEmptyString(node, what) else { return nil }
        if let found = topology.node(named: text) { return (found.name, text) }
        let names = topology.nodes.keys.map(\.rawValue)
        let suggestion = YAMLWalker.closest(to: text, among: names).map { "did you mean '\($0)'? " } ?? ""
        walker.error(
            .unknownReference, "unknown node '\(text)'", at: node,
            hint: "\(suggestion)nodes of topology '\(topology.name)': \(names.joined(separator: ", "))")
        return nil
    }

    mutating func readNetns(_ node: Yams.Node) -> NamespaceName? {
        guard let text = walker.nonEmptyString(node, "'netns'") else { return nil }
        guard let name = NamespaceName(text) else {
            walker.error(.invalidValue, NamespaceName.problem(text), at: node, hint: NamespaceName.rule)
            return nil
        }
        return name
    }

    /// The lines of a `run` value with their own source positions: a block scalar's lines start on the
    /// line after its `|`; a list gives one line per item.
    mutating func readScript(_ node: Yams.Node, _ what: String) -> [ScriptLine]? {
        let source = walker.source
        switch node {
        case .scalar(let scalar):
            let (line, column) = walker.position(of: node)
            var text = scalar.string
            if text.hasSuffix("\n") { text.removeLast() }
            let pieces = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let isBlock = scalar.style == .literal || scalar.style == .folded
            return pieces.enumerated().map { offset, piece in
                let lineNumber = isBlock ? line + 1 + offset : line
                // A block scalar's text is de-indented: its column is the source indentation minus its own.
                let sourceIndent = source.line(lineNumber).map { $0.prefix { $0 == " " }.count } ?? 0
                let indent = isBlock ? max(0, sourceIndent - piece.prefix { $0 == " " }.count) : column - 1
                return ScriptLine(piece, at: source.location(line: lineNumber, column: indent + 1))
            }
        case .sequence:
            return (walker.strings(node, what) ?? []).map { text, item in
                ScriptLine(text, at: walker.location(of: item))
            }
        default:
            walker.error(
                .wrongType, "\(what) must be text or a list of commands, found \(YAMLWalker.describe(node))",
                at: node, hint: "write 'run: |' followed by indented command lines")
            return nil
        }
    }
}
