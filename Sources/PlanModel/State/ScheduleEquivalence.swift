/// A block of a plan as the equivalence check tracks it: the step's index and the block's index within the
/// step (0 for an expect check).
struct BlockReference: Hashable {
    var step: Int
    var block: Int
}

/// Whether a parallel schedule reaches the same final state as the document order, and why not when it
/// cannot be shown.
public struct ScheduleVerdict: Sendable, Hashable, Codable {
    public var isEquivalent: Bool
    /// Why equivalence could not be shown (empty when it was).
    public var reasons: [String]
    /// Each node's final state under either order (equal when equivalent).
    public var finalStates: [NodeName: NodeState]
}

/// Decides schedule equivalence with the model, node by node: a command's success depends only on its own
/// node's state (domain.md "Model of cross-node dependencies"), so two schedules that run each node's
/// blocks in the same order reach the same state on every node, provided every command is modelled (an
/// unknown program could reach other nodes) and none fails (where a run stops would depend on timing).
public enum ScheduleEquivalence {
    /// Checks `schedule` (the one the engine runs) against document order over the same steps.
    public static func check(
        _ plan: Plan, schedule: Schedule, topology: Topology, initialStates: [NodeName: NodeState] = [:]
    ) -> ScheduleVerdict {
        var reasons: [String] = []
        var documentOrder: [NodeName: [BlockReference]] = [:]
        var blocks: [BlockReference: NodeBlock] = [:]
        let included = schedule.stepRange ?? 0...max(0, plan.steps.count - 1)
        for (index, step) in plan.steps.enumerated() where included.contains(index) {
            switch step.action {
            case .blocks(let list):
                for (offset, block) in list.enumerated() {
                    let reference = BlockReference(step: index, block: offset)
                    documentOrder[block.node, default: []].append(reference)
                    blocks[reference] = block
                }
            case .expect(let check):
                let reference = BlockReference(step: index, block: 0)
                documentOrder[check.node, default: []].append(reference)
                blocks[reference] = check.block
            case .reach, .wait, .conform, .fault:
                continue
            case .service(let service):
                reasons.append(
                    "\(service.node): service \(service.name) runs a program whose effects and timing are not modelled")
            }
        }
        // Each node's units in the order the schedule runs them (stage after stage, in order within a stage).
        var scheduled: [NodeName: [BlockReference]] = [:]
        for unit in schedule.units where !plan.steps[unit.stepIndex].isReach {
            scheduled[unit.node, default: []].append(BlockReference(step: unit.stepIndex, block: unit.blockIndex ?? 0))
        }
        for node in Set(documentOrder.keys).union(scheduled.keys).sorted()
        where documentOrder[node] ?? [] != scheduled[node] ?? [] {
            reasons.append(
                "\(node): the schedule runs its blocks in another order or not all of them (program order per node)")
        }
        for (node, references) in scheduled where references.contains(where: { blocks[$0]?.node != node }) {
            reasons.append("\(node): the schedule gives it a block of another node")
        }
        let checker = PlanChecker(topology: topology, initialStates: initialStates)
        var finals: [NodeName: NodeState] = [:]
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
