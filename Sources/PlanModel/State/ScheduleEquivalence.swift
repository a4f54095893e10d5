/// How a parallel schedule groups a plan: phases separated by barriers (checks, steps marked as barriers);
/// within a phase each node runs its blocks in order, nodes concurrently.
public struct ParallelSchedule: Sendable, Hashable, Codable {
    /// A block of the plan: the step's index and the block's index within the step (0 for an expect check).
    public struct BlockReference: Sendable, Hashable, Codable {
        public var step: Int
        public var block: Int

        public init(step: Int, block: Int) {
            self.step = step
            self.block = block
        }
    }

    /// Per phase, per node, the blocks in the order the node runs them.
    public var phases: [[String: [BlockReference]]]

    public init(phases: [[String: [BlockReference]]]) { self.phases = phases }

    /// The schedule `--schedule parallel` derives: a new phase after every barrier and at every check.
    public static func derived(from plan: Plan) -> ParallelSchedule {
        var phases: [[String: [BlockReference]]] = []
        var current: [String: [BlockReference]] = [:]
        func close() {
            if !current.isEmpty { phases.append(current) }
            current = [:]
        }
        for (index, step) in plan.steps.enumerated() {
            switch step.action {
            case .blocks(let blocks):
                if step.isBarrier { close() }
                for (offset, block) in blocks.enumerated() {
                    current[block.node, default: []].append(BlockReference(step: index, block: offset))
                }
                if step.isBarrier { close() }
            case .expect(let check):
                close()
                current[check.node] = [BlockReference(step: index, block: 0)]
                close()
            case .reach:
                close()
            }
        }
        close()
        return ParallelSchedule(phases: phases)
    }
}

/// Whether a parallel schedule reaches the same final state as the document order, and why not when it
/// cannot be shown.
public struct ScheduleVerdict: Sendable, Hashable, Codable {
    public var isEquivalent: Bool
    /// Why equivalence could not be shown (empty when it was).
    public var reasons: [String]
    /// Each node's final state under either order (equal when equivalent).
    public var finalStates: [String: NodeState]
}

/// Decides schedule equivalence with the model, node by node: a command's success depends only on its own
/// node's state (domain.md "Model of cross-node dependencies"), so two schedules that run each node's
/// blocks in the same order reach the same state on every node, provided every command is modelled (an
/// unknown program could reach other nodes) and none fails (where a run stops would depend on timing).
public enum ScheduleEquivalence {
    public static func check(
        _ plan: Plan, schedule: ParallelSchedule, topology: Topology, initialStates: [String: NodeState] = [:]
    ) -> ScheduleVerdict {
        var reasons: [String] = []
        var documentOrder: [String: [ParallelSchedule.BlockReference]] = [:]
        var blocks: [ParallelSchedule.BlockReference: NodeBlock] = [:]
        for (index, step) in plan.steps.enumerated() {
            switch step.action {
            case .blocks(let list):
                for (offset, block) in list.enumerated() {
                    let reference = ParallelSchedule.BlockReference(step: index, block: offset)
                    documentOrder[block.node, default: []].append(reference)
                    blocks[reference] = block
                }
            case .expect(let check):
                let reference = ParallelSchedule.BlockReference(step: index, block: 0)
                documentOrder[check.node, default: []].append(reference)
                blocks[reference] = check.block
            case .reach:
                continue
            }
        }
        var scheduled: [String: [ParallelSchedule.BlockReference]] = [:]
        for phase in schedule.phases {
            for (node, references) in phase { scheduled[node, default: []] += references }
        }
        for node in Set(documentOrder.keys).union(scheduled.keys).sorted()
        where documentOrder[node] ?? [] != scheduled[node] ?? [] {
            reasons.append(
                "\(node): the schedule runs its blocks in another order or not all of them (program order per node)")
        }
        for phase in schedule.phases {
            for (node, references) in phase where references.contains(where: { blocks[$0]?.node != node }) {
                reasons.append("\(node): the schedule gives it a block of another node")
            }
        }
        let checker = PlanChecker(topology: topology, initialStates: initialStates)
        var finals: [String: NodeState] = [:]
        for (node, references) in documentOrder.sorted(by: { $0.key < $1.key }) {
            var state = checker.initialState(of: node)
            for reference in references {
                guard let block = blocks[reference] else { continue }
                let evaluation = StateModel.evaluate(block, from: state)
                state = evaluation.state
                for result in evaluation.notModelled {
                    reasons.append(
                        "\(node): \(result.command.location.fileAndLine): '\(result.command.text)' is not modelled, so its effect on other nodes and on this node's state cannot be shown"
                    )
                }
                if let failure = evaluation.failure {
                    reasons.append(
                        "\(node): \(failure.command.location.fileAndLine): '\(failure.command.text)' would fail; where the run stops depends on the schedule"
                    )
                }
            }
            finals[node] = state
        }
        return ScheduleVerdict(isEquivalent: reasons.isEmpty, reasons: reasons, finalStates: finals)
    }
}
