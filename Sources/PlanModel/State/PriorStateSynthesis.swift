/// What `PriorStateSynthesizer` made.
public struct PriorStateSynthesis: Sendable, Hashable, Codable {
    /// One command of the prior state, and why.
    public struct Item: Sendable, Hashable, Codable, CustomStringConvertible {
        /// To run in the node's default namespace (namespaced ones carry `ip netns exec NS`).
        public var command: String
        /// What it creates.
        public var what: String
        /// The plan command that needs it, and where that command is.
        public var neededBy: String
        public var location: InputLocation

        public var description: String { "\(what) (for \(location.fileAndLine): \(neededBy))" }
    }

    /// Commands `--repair` inserts right before a plan command, for a mistake of the page.
    public struct Repair: Sendable, Hashable, Codable {
        public var stepIndex: Int
        /// The block within the step; nil for an expect check.
        public var blockIndex: Int?
        /// The command (in `NodeBlock.commands`) the repair goes before.
        public var commandIndex: Int
        public var location: InputLocation
        public var neededBy: String
        public var commands: [String]
        public var what: [String]
    }

    /// Per node, the commands to run on a fresh lab node before the plan.
    public var items: [NodeName: [Item]] = [:]
    /// Per node, the state those commands leave (the plan's starting state).
    public var states: [NodeName: NodeState] = [:]
    /// Failures no prior state fixes: the plan has them whatever came before it.
    public var unresolved: [CheckFinding] = []
    /// Lines that need state no prior state can give: the page's own mistakes.
    public var mistakes: [DocumentationMistake] = []
    /// Per node, the repairs of those mistakes that make sense.
    public var repairs: [NodeName: [Repair]] = [:]
    /// Lines with placeholders: the page is a template.
    public var templates: [TemplateLine] = []

    /// The commands for one node as a script.
    public func script(for node: NodeName) -> String { (items[node] ?? []).map(\.command).joined(separator: "\n") }

    /// The prior state as a plan step per node (YAML-free: one block each), to run before the page.
    public func setupSteps(sourcePath: String) -> [Step] {
        items.keys.sorted().compactMap { node in
            guard let list = items[node], !list.isEmpty else { return nil }
            let location = InputLocation(file: sourcePath, line: 1)
            let lines = list.map { ScriptLine($0.command, at: location) }
            return Step(
                id: "prior-\(node)", title: "prior state of \(node)",
                action: .blocks([NodeBlock(node: node, lines: lines, location: location)]),
                location: location)
        }
    }

    /// Why `replay` must not run the page: its templates, and its mistakes that `--repair` (when given)
    /// does not mend. Nil when it may run.
    public func refusal(source: SourceText?, repairing: Bool) -> InputErrors? {
        var errors = templates.map { $0.inputError(source: source) }
        errors += mistakes.filter { !repairing || $0.repair == nil }.map { $0.inputError(source: source) }
        return errors.isEmpty ? nil : InputErrors(errors)
    }

    /// The plan `replay` runs: the prior state of every node (then a barrier), then the plan — with, when
    /// `repairing`, each repair in a block of its own right before the command that needs it.
    public func replayPlan(_ plan: Plan, sourcePath: String, repairing: Bool) -> Plan {
        var plan = plan
        if repairing {
            // Last first, so inserting one never moves the place of another.
            let all = repairs.flatMap { node, list in list.map { (node, $0) } }.sorted {
                ($0.1.stepIndex, $0.1.blockIndex ?? -1, $0.1.commandIndex)
                    > ($1.1.stepIndex, $1.1.blockIndex ?? -1, $1.1.commandIndex)
            }
            for (node, repair) in all { plan.insert(repair, on: node) }
        }
        var setup = setupSteps(sourcePath: sourcePath)
        if !setup.isEmpty { setup[setup.count - 1].isBarrier = true }
        plan.steps = setup + plan.steps
        return plan
    }

    /// A human-readable account: per node, what was synthesised and which command needed it; the page's
    /// mistakes and their repairs; templates; failures nothing fixes.
    public var summary: String {
        var lines: [String] = []
        for node in items.keys.sorted() {
            guard let list = items[node], !list.isEmpty else { continue }
            lines.append("\(node): \(list.count) command\(list.count == 1 ? "" : "s") of prior state")
            for item in list {
                lines.append("  \(item.what)  — needed by \(item.location.fileAndLine): \(item.neededBy)")
            }
        }
        if lines.isEmpty { lines.append("no prior state needed: the plan runs on fresh lab nodes") }
        for mistake in mistakes {
            lines.append(
                "mistake of the page at \(mistake.location.fileAndLine): \(mistake.node) assumes \(mistake.assumes)")
            lines.append("  repair: " + (mistake.repair?.joined(separator: "; ") ?? "none makes sense"))
        }
        for template in templates {
            lines.append("template: \(template.location.fileAndLine): \(template.placeholder) in `\(template.command)`")
        }
        for finding in unresolved { lines.append("unresolved: \(finding)") }
        return lines.joined(separator: "\n")
    }
}

extension Plan {
    /// Splits the block (or precedes the expect check) that holds the repaired command, and puts the repair in
    /// a block of its own in between; its lines carry the location of the command that needs it.
    mutating func insert(_ repair: PriorStateSynthesis.Repair, on node: NodeName) {
        guard steps.indices.contains(repair.stepIndex) else { return }
        let step = steps[repair.stepIndex]
        let lines = repair.commands.map { ScriptLine($0, at: repair.location) }
        let fix = NodeBlock(node: node, lines: lines, location: repair.location, label: "repair")
        guard let blockIndex = repair.blockIndex, case .blocks(var blocks) = step.action,
            blocks.indices.contains(blockIndex)
        else {
            let stepFix = Step(
                id: "repair-\(step.id)", title: "repair for \(step.title)", action: .blocks([fix]),
                location: repair.location)
            steps.insert(stepFix, at: repair.stepIndex)
            return
        }
        let block = blocks[blockIndex]
        let commands = block.commands
        guard commands.indices.contains(repair.commandIndex) else { return }
        let cut = commands[repair.commandIndex].firstLine - 1
        var head = block
        head.lines = Array(block.lines[..<cut])
        var tail = block
        tail.lines = Array(block.lines[cut...])
        var replacement = [fix, tail]
        if !head.commands.isEmpty { replacement.insert(head, at: 0) }
        blocks.replaceSubrange(blockIndex...blockIndex, with: replacement)
        steps[repair.stepIndex].action = .blocks(blocks)
    }
}
