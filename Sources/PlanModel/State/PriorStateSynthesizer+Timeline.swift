/// One node's commands in page order, as the synthesis walks them.
struct Timeline: Sendable {
    struct Entry: Sendable {
        var stepIndex: Int
        var stepID: String
        var stepTitle: String
        /// The block within the step; nil for an expect check.
        var blockIndex: Int?
        var commandIndex: Int
        var command: Command
        var netns: NamespaceName?
        var isBlockStart: Bool
    }

    var entries: [Entry] = []

    init(node: NodeName, plan: Plan) {
        for (stepIndex, step) in plan.steps.enumerated() {
            var blocks: [(Int?, NodeBlock)] = []
            switch step.action {
            case .blocks(let list):
                blocks = list.enumerated().filter { $0.element.node == node }.map { ($0.offset, $0.element) }
            case .expect(let check) where check.node == node && check.status == 0: blocks = [(nil, check.block)]
            default: continue
            }
            for (blockIndex, block) in blocks {
                for (commandIndex, command) in block.commands.enumerated() {
                    entries.append(
                        Entry(
                            stepIndex: stepIndex, stepID: step.id, stepTitle: step.title, blockIndex: blockIndex,
                            commandIndex: commandIndex, command: command, netns: block.netns,
                            isBlockStart: commandIndex == 0))
                }
            }
        }
    }
}

/// A node's run through the model: the prior state, then the page with the repairs so far.
struct Simulation: Sendable {
    var priorState: NodeState
    /// A synthesised command (prior or repair) that does not apply.
    var priorFailure: String?
    /// Per entry; nil where the entry did not run (after a failure in its block, under set -e).
    var outcomes: [CommandOutcome?]
    /// The state before each entry (repairs at that entry applied).
    var before: [NodeState]

    /// The first command that ran in `base` and fails here, as "line N fail: `…` (why)".
    func firstBreak(comparedWith base: Simulation, timeline: Timeline) -> String? {
        if let priorFailure { return priorFailure }
        for index in outcomes.indices {
            guard let was = base.outcomes[index], !was.isFailure, case .failure(let failure) = outcomes[index],
                !failure.isSoft
            else { continue }
            let command = timeline.entries[index].command
            return "line \(command.location.line) fail: `\(command.text)` (\(failure.reason))"
        }
        return nil
    }

    func fails(at index: Int, for missing: Prerequisite) -> Bool {
        guard case .failure(let failure) = outcomes[index] else { return false }
        return failure.missing == missing
    }
}

/// The synthesis of one node in progress.
struct NodeWork: Sendable {
    let node: NodeName
    let fresh: NodeState
    let timeline: Timeline
    var prior: [SynthesisCommand] = []
    var items: [PriorStateSynthesis.Item] = []
    var repairs: [Int: [SynthesisCommand]] = [:]
    var current: Simulation
    var tried: Set<String> = []
    var settled: Set<Int> = []
    var unresolved: [CheckFinding] = []
    var mistakes: [DocumentationMistake] = []

    init(node: NodeName, fresh: NodeState, timeline: Timeline) {
        self.node = node
        self.fresh = fresh
        self.timeline = timeline
        self.current = Simulation(priorState: fresh, outcomes: [], before: [])
    }

    func nextFailure() -> Int? {
        current.outcomes.indices.first { index in
            !settled.contains(index) && (current.outcomes[index]?.isFailure ?? false)
        }
    }

    /// A failure no prior state fixes: the plan has it whatever came before.
    mutating func settle(_ index: Int, failure: CommandFailure) {
        settled.insert(index)
        guard !failure.isSoft else { return }
        let entry = timeline.entries[index]
        unresolved.append(
            CheckFinding(
                kind: .wouldFail, node: node, step: entry.stepID, stepTitle: entry.stepTitle,
                command: entry.command.text, location: entry.command.location, message: failure.reason,
                toolMessage: failure.toolMessage, missing: failure.missing))
    }

    mutating func accept(prior made: [SynthesisCommand], for entry: Timeline.Entry, trial: Simulation) {
        prior += made
        items += made.map {
            PriorStateSynthesis.Item(
                command: $0.rendered, what: $0.what, neededBy: entry.command.text, location: entry.command.location)
        }
        current = trial
    }

    var repairItems: [PriorStateSynthesis.Repair] {
        repairs.keys.sorted().compactMap { index in
            guard let commands = repairs[index], !commands.isEmpty else { return nil }
            let entry = timeline.entries[index]
            return PriorStateSynthesis.Repair(
                stepIndex: entry.stepIndex, blockIndex: entry.blockIndex, commandIndex: entry.commandIndex,
                location: entry.command.location, neededBy: entry.command.text, commands: commands.map(\.rendered),
                what: commands.map(\.what))
        }
    }

    /// Runs the prior commands on the fresh node, then every entry with the repairs before it.
    func simulate(prior: [SynthesisCommand]? = nil, repairs: [Int: [SynthesisCommand]]? = nil) -> Simulation {
        let prior = prior ?? self.prior
        let repairs = repairs ?? self.repairs
        var state = fresh
        var priorFailure: String?
        func apply(_ command: SynthesisCommand, role: String) {
            if case .failure(let failure) = PriorStateSynthesizer.run(
                command.text, namespace: command.namespace, on: &state), priorFailure == nil
            {
                priorFailure = "\(role) `\(command.rendered)` fail (\(failure.reason))"
            }
        }
        for command in prior { apply(command, role: "the prior command") }
        let priorState = state
        var outcomes: [CommandOutcome?] = []
        var before: [NodeState] = []
        var skipping = false
        var stopsAtFailure = true
        for (index, entry) in timeline.entries.enumerated() {
            if entry.isBlockStart {
                skipping = false
                stopsAtFailure = true
            }
            for command in repairs[index] ?? [] where !skipping { apply(command, role: "the repair") }
            before.append(state)
            guard !skipping else {
                outcomes.append(nil)
                continue
            }
            let outcome = Self.step(entry, state: &state, stopsAtFailure: &stopsAtFailure)
            outcomes.append(outcome)
            if outcome.isFailure, stopsAtFailure, case .failure(let failure) = outcome, !failure.isSoft {
                skipping = true
            }
        }
        return Simulation(priorState: priorState, priorFailure: priorFailure, outcomes: outcomes, before: before)
    }

    /// One entry through the model: the block's namespace must exist, `set ±e` is followed, a `sed` that
    /// deletes a missing `rt_tables` line is a soft failure.
    static func step(_ entry: Timeline.Entry, state: inout NodeState, stopsAtFailure: inout Bool) -> CommandOutcome {
        if entry.isBlockStart, let netns = entry.netns?.rawValue, state.namespace(netns) == nil,
            !state.unknown.contains(.namespaces)
        {
            return .failure(
                CommandFailure(
                    reason: "netns \(netns) does not exist (the agent cannot enter it)", toolMessage: "",
                    exitStatus: 255, missing: .namespace(netns)))
        }
        let text = entry.command.text
        if let words = ShellWords.split(text), words.first == "set", let errexit = ShellWords.errexit(words) {
            stopsAtFailure = errexit
        }
        if let missing = PriorStateSynthesizer.missingLine(text, state: state) {
            return .failure(
                CommandFailure(
                    reason: "it deletes an rt_tables line that is not there", toolMessage: "", exitStatus: 0,
                    missing: missing))
        }
        var attempt = state
        let outcome = PriorStateSynthesizer.run(text, namespace: entry.netns?.rawValue, on: &attempt)
        if !outcome.isFailure { state = attempt }
        return outcome
    }
}

extension PriorStateSynthesizer {
    static func run(_ text: String, namespace: String?, on state: inout NodeState) -> CommandOutcome {
        if let namespace, state.namespace(namespace) == nil, !state.unknown.contains(.namespaces) {
            return .failure(
                CommandFailure(
                    reason: "netns \(namespace) does not exist", toolMessage: "", exitStatus: 255,
                    missing: .namespace(namespace)))
        }
        return StateModel.run(text, namespace: namespace, on: &state)
    }

    /// A `sed -i '/xxx_table_NAME_xxx/d' rt_tables` that deletes nothing: the page removes a line it assumes.
    static func missingLine(_ text: String, state: NodeState) -> Prerequisite? {
        guard let words = ShellWords.split(text), words.first == "sed", words.contains(CommandInterpreter.rtTablesPath),
            let script = words.first(where: { $0.hasPrefix("/") && $0.hasSuffix("/d") })
        else { return nil }
        let body = String(script.dropFirst().dropLast(2))
        guard let pattern = SedPattern(body), !state.rtTables.lines.contains(where: pattern.matches) else { return nil }
        guard body.hasPrefix("xxx_table_"), body.hasSuffix("_xxx") else { return nil }
        return .tableName(String(body.dropFirst("xxx_table_".count).dropLast("_xxx".count)))
    }
}
