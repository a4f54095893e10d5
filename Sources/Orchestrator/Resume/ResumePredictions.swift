public import PlanModel

/// What the state model predicts for each node at the point where a run stopped: every state the node may
/// be in (before its first unfinished unit, and after each command of it), worked out from the journal alone.
///
/// Each node's units run in plan order, and no command's effect depends on another node, so each node is
/// predicted on its own: from the state observed when the journalled run started, through the units it
/// finished (a resumed unit from the command it resumed at), into the first unit it did not finish.
public struct ResumePredictions: Sendable {
    /// The states one node may be in, earliest first.
    public struct Node: Sendable {
        public var node: NodeName
        /// The first unit the node did not finish (nil: it finished all of its units).
        public var unit: Schedule.Unit?
        /// `(command index to start at, state)`: for a block, after each prefix of its commands from its start
        /// command; for a check, the state before it; with no unit left, the final state.
        public var candidates: [(command: Int, state: NodeState)]
        /// The last unit the node finished, for messages.
        public var lastDone: Schedule.Unit?
    }

    public var nodes: [NodeName: Node]
    /// Units done (passed), before the journalled run or in it.
    public var done: Set<Schedule.Unit>

    /// - Throws: `ResumeRefusal` (`unusableJournal`) when the journal has no initial state for a node.
    public static func make(plan: Plan, schedule: Schedule, journal: RunJournal) throws(ResumeRefusal)
        -> ResumePredictions
    {
        let initial = Dictionary(journal.initialStates.map { ($0.node, $0) }, uniquingKeysWith: { first, _ in first })
        guard !initial.isEmpty else {
            throw ResumeRefusal(
                .unusableJournal, "the run's journal has no initial kernel states (it ran with --state-check off)",
                hint: "resume needs the state model: run the plan again from a fresh lab")
        }
        let carried = Set(journal.resume?.carried.map(\.unit) ?? [])
        let starts = journal.resume?.startCommands ?? [:]
        let passed = Set(journal.results.filter { $0.status == .passed }.map(\.unit))
        var nodes: [NodeName: Node] = [:]
        let byNode = Dictionary(grouping: schedule.units, by: \.node)
        for (name, units) in byNode {
            guard var state = initial[name] else {
                throw ResumeRefusal(
                    .unusableJournal, "the run's journal has no initial kernel state for node '\(name)'",
                    hint: "resume needs the state every node started from; run the plan again from a fresh lab")
            }
            var entry = Node(node: name, unit: nil, candidates: [], lastDone: nil)
            for unit in units where !carried.contains(unit) {
                let from = starts[unit] ?? 0
                if passed.contains(unit) {
                    if let block = block(of: unit, in: plan) {
                        state = apply(block, from: from, to: state).last ?? state
                    }
                    entry.lastDone = unit
                    continue
                }
                entry.unit = unit
                if let block = block(of: unit, in: plan) {
                    let states = apply(block, from: from, to: state, assumingUnmodelledChangeNothing: true)
                    entry.candidates = [(from, state)] + states.enumerated().map { (from + $0.offset + 1, $0.element) }
                } else {
                    entry.candidates = [(0, state)]
                }
                break
            }
            if entry.unit == nil { entry.candidates = [(0, state)] }
            nodes[name] = entry
        }
        return ResumePredictions(nodes: nodes, done: passed.union(carried))
    }

    /// The sysctls any candidate knows, so the node is asked for them too.
    public var sysctlNames: [String] {
        var names: Set<String> = []
        for node in nodes.values {
            for candidate in node.candidates {
                for namespace in candidate.state.namespaces.values { names.formUnion(namespace.sysctls.keys) }
            }
        }
        return names.sorted()
    }

    static func block(of unit: Schedule.Unit, in plan: Plan) -> NodeBlock? {
        guard case .blocks(let blocks) = plan.steps[unit.stepIndex].action, let index = unit.blockIndex,
            blocks.indices.contains(index)
        else { return nil }
        return blocks[index]
    }

    /// The state after each command of `block` from `from` on, in order.
    /// - Parameter assumingUnmodelledChangeNothing: For the candidates of the unit in flight: a command the
    ///   model does not know is taken to change nothing (instead of making what it may touch unknown, which
    ///   would match any state), so a node changed by it, or by someone, matches no candidate and is reported.
    static func apply(
        _ block: NodeBlock, from: Int, to state: NodeState, assumingUnmodelledChangeNothing: Bool = false
    ) -> [NodeState] {
        var current = state
        return block.commands.dropFirst(from).map { command in
            let before = current
            let outcome = StateModel.run(command.text, namespace: block.netns?.rawValue, on: &current)
            if assumingUnmodelledChangeNothing, case .notModelled = outcome { current = before }
            return current
        }
    }
}
