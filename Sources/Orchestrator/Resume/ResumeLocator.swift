public import PlanModel

/// Finds where each node stopped, by comparing its observed kernel state with every state the model predicts
/// for it at that point (`ResumePredictions`), and says where the resumed run starts. Pure.
///
/// The earliest matching prediction wins: commands between two matching predictions left nothing the model
/// sees (a `sleep`, a `ping`, a command it does not model), so they run again. A node that matches no
/// prediction was changed by someone else, or by a command the model does not know: the resume is refused
/// with the closest prediction and how the node differs from it.
public enum ResumeLocator {
    public static func locate(
        _ predictions: ResumePredictions, observed: [NodeName: NodeState], plan: Plan, schedule: Schedule,
        journal: RunJournal, journalPath: String
    ) throws(ResumeRefusal) -> ResumePoint {
        var done = predictions.done
        var positions: [ResumePoint.Position] = []
        var mismatches: [String] = []
        for name in predictions.nodes.keys.sorted() {
            guard let node = predictions.nodes[name] else { continue }
            guard let found = observed[name] else {
                mismatches.append("\(name): not observed")
                continue
            }
            let scores = node.candidates.map { candidate in
                StateComparison.differences(
                    predicted: candidate.state, observed: found, probes: probes(candidate.state, found))
            }
            guard let match = scores.firstIndex(where: \.isEmpty) else {
                mismatches += describeMismatch(node, scores: scores, plan: plan)
                continue
            }
            guard let unit = node.unit else { continue }
            let command = node.candidates[match].command
            let block = ResumePredictions.block(of: unit, in: plan)
            let total = block?.commands.count ?? 0
            if block != nil, command == total {
                // The block ran to its end; only its record was lost.
                done.insert(unit)
                continue
            }
            let later = scores[(match + 1)...].prefix { $0.isEmpty }.count
            positions.append(position(unit, command: command, block: block, plan: plan, alsoMatching: later))
        }
        guard mismatches.isEmpty else {
            throw ResumeRefusal(
                .stateMismatch,
                "the kernel state of the nodes matches no state the plan predicts where the run stopped",
                details: mismatches,
                hint: "someone changed the node, or a command the state model does not know ran; restore the node "
                    + "by hand and resume again, or start afresh (testbed lab down, then testbed run without --resume)")
        }
        let earlier = Dictionary(journal.results.map { ($0.unit, $0) }, uniquingKeysWith: { first, _ in first })
        let carried = schedule.units.filter(done.contains).map { unit in
            var result =
                earlier[unit].flatMap { $0.status == .passed ? $0 : nil }
                ?? UnitResult(
                    unit: unit, stepID: plan.steps[unit.stepIndex].id,
                    kind: ExecutionEngine.kind(of: plan.steps[unit.stepIndex]), status: .passed,
                    message: "finished before the run stopped (its record was lost; the node's state shows it)")
            result.resume = result.resume ?? "done in the run resumed (\(journalPath))"
            return result
        }
        return ResumePoint(journalPath: journalPath, carried: carried, positions: positions)
    }

    /// Every part of the node either state has, sysctls included.
    static func probes(_ predicted: NodeState, _ observed: NodeState) -> [StateProbe] {
        let names = Set(predicted.namespaceNames).union(observed.namespaceNames).sorted { $0.rawValue < $1.rawValue }
        var sysctls: Set<String> = []
        for namespace in predicted.namespaces.values { sysctls.formUnion(namespace.sysctls.keys) }
        return StateProbe.fullDump(namespaces: names, sysctls: sysctls.sorted())
    }

    private static func position(
        _ unit: Schedule.Unit, command: Int, block: NodeBlock?, plan: Plan, alsoMatching later: Int
    ) -> ResumePoint.Position {
        let step = plan.steps[unit.stepIndex]
        guard let block, command > 0 else {
            let what = block == nil ? "runs again" : "runs from its first line"
            return ResumePoint.Position(
                unit: unit, command: 0, location: block?.commands.first?.location,
                reason: "step \(unit.stepIndex + 1) \(step.id) (\(step.location.fileAndLine)) \(what)")
        }
        let commands = block.commands
        let previous = commands[command - 1]
        let next = commands[command]
        var reason =
            "step \(unit.stepIndex + 1) \(step.id) stopped after `\(previous.text)` (\(previous.location.fileAndLine));"
            + " resumes at `\(next.text)` (\(next.location.fileAndLine))"
        if later > 0 {
            reason += " (the next \(later) command\(later == 1 ? "" : "s") leave the same state: run again)"
        }
        return ResumePoint.Position(unit: unit, command: command, location: next.location, reason: reason)
    }

    /// The closest prediction and how the node differs from it.
    private static func describeMismatch(
        _ node: ResumePredictions.Node, scores: [[StateDifference]], plan: Plan
    ) -> [String] {
        guard let best = scores.indices.min(by: { scores[$0].count < scores[$1].count }) else {
            return ["\(node.node): no prediction"]
        }
        let command = node.candidates[best].command
        var place: String
        if let unit = node.unit {
            let step = plan.steps[unit.stepIndex]
            let block = ResumePredictions.block(of: unit, in: plan)
            if let block, command > 0, command <= block.commands.count {
                let previous = block.commands[command - 1]
                place =
                    "after `\(previous.text)` (\(previous.location.fileAndLine)) of step \(unit.stepIndex + 1) \(step.id)"
            } else {
                place = "before step \(unit.stepIndex + 1) \(step.id) (\(step.location.fileAndLine))"
            }
        } else {
            place = "at the end of the plan"
        }
        let differences = scores[best]
        var lines = [
            "\(node.node): closest to the state \(place), with \(differences.count) difference"
                + (differences.count == 1 ? "" : "s") + " (of \(node.candidates.count) predictions compared):"
        ]
        lines += differences.prefix(8).map { "  \($0)" }
        if differences.count > 8 { lines.append("  … and \(differences.count - 8) more") }
        return lines
    }
}
