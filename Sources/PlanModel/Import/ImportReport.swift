/// A plan read from a page, a script or a YAML file, with what the import did to get it.
public struct ImportResult: Sendable, Hashable {
    public var plan: Plan
    public var report: ImportReport
    /// The text the plan was read from (encoding repaired), for diagnostics that quote a line.
    public var source: SourceText?

    public init(plan: Plan, report: ImportReport, source: SourceText? = nil) {
        self.plan = plan
        self.report = report
        self.source = source
    }
}

/// What an import found and did: the plan's size per node, encoding repairs, inferred systems, warnings.
public struct ImportReport: Sendable, Hashable {
    /// Blocks, commands and checks of one node.
    public struct NodeCount: Sendable, Hashable, Codable {
        public var node: NodeName
        public var blocks: Int
        public var commands: Int
        public var checks: Int

        public init(node: NodeName, blocks: Int = 0, commands: Int = 0, checks: Int = 0) {
            self.node = node
            self.blocks = blocks
            self.commands = commands
            self.checks = checks
        }
    }

    public var sourcePath: String
    public var format: Plan.SourceKind
    public var steps: Int
    public var blocks: Int
    public var commands: Int
    public var checks: Int
    /// Per node, in order of first use.
    public var nodes: [NodeCount]
    /// Encoding damage repaired, strongest first; usually none or one.
    public var repairs: [EncodingRepair]
    /// The main repair, if any.
    public var repair: EncodingRepair? { repairs.first }
    public var inferences: [SystemInference]
    public var warnings: [InputError]
    /// Outcome lines of an earlier run (`> testbed: …`) that the import skipped.
    public var ignoredOutcomeLines: Int
    /// Blocks under a system line that hold data (tables), kept as notes and never run.
    public var dataBlocks: [DataBlock]

    public init(
        plan: Plan, repairs: [EncodingRepair] = [], inferences: [SystemInference] = [], warnings: [InputError] = [],
        ignoredOutcomeLines: Int = 0, dataBlocks: [DataBlock] = []
    ) {
        self.dataBlocks = dataBlocks
        self.sourcePath = plan.sourcePath
        self.format = plan.sourceKind
        let counts = plan.counts
        self.steps = counts.steps
        self.blocks = counts.blocks
        self.commands = counts.commands
        self.checks = counts.checks
        var nodes: [NodeCount] = []
        func index(of node: NodeName) -> Int {
            if let found = nodes.firstIndex(where: { $0.node == node }) { return found }
            nodes.append(NodeCount(node: node))
            return nodes.count - 1
        }
        for step in plan.steps {
            switch step.action {
            case .blocks(let blocks):
                for block in blocks {
                    let at = index(of: block.node)
                    nodes[at].blocks += 1
                    nodes[at].commands += block.commands.count
                }
            case .reach(let check): nodes[index(of: check.node)].checks += 1
            case .expect(let check): nodes[index(of: check.node)].checks += 1
            case .service(let service): nodes[index(of: service.node)].blocks += 1
            case .conform(let check): nodes[index(of: check.node)].checks += 1
            case .wait, .fault: break
            }
        }
        self.nodes = nodes
        self.repairs = repairs
        self.inferences = inferences
        self.warnings = InputErrors(warnings).errors
        self.ignoredOutcomeLines = ignoredOutcomeLines
    }

    /// The report as the CLI prints it on stderr.
    public var text: String {
        var lines: [String] = []
        lines.append(
            "imported \(format.rawValue) \(sourcePath): \(Self.count(steps, "step")), \(Self.count(blocks, "block")), "
                + "\(Self.count(commands, "command")), \(Self.count(checks, "check"))")
        for node in nodes {
            var parts = [Self.count(node.blocks, "block"), Self.count(node.commands, "command")]
            if node.checks > 0 { parts.append(Self.count(node.checks, "check")) }
            lines.append("  \(node.node): \(parts.joined(separator: ", "))")
        }
        lines += repairs.flatMap(\.summary)
        if !inferences.isEmpty {
            lines.append("inferred systems:")
            lines += inferences.flatMap(\.summary).map { "  \($0)" }
        }
        if !dataBlocks.isEmpty {
            lines.append("data blocks (kept as they are, never run):")
            lines += dataBlocks.map { "  \($0.summary)" }
        }
        if ignoredOutcomeLines > 0 {
            lines.append("ignored \(Self.count(ignoredOutcomeLines, "outcome line")) of an earlier run")
        }
        if !warnings.isEmpty {
            lines.append("\(Self.count(warnings.count, "warning")):")
            lines += warnings.map(\.description)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
