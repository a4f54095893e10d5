public import NodeAgentProtocol
public import PlanModel

/// Compares a node's kernel state after a block with the model's prediction. Pure.
///
/// A block that failed is re-predicted from the line where it really stopped, so the comparison is always
/// against what the commands that ran should have done. The model then continues from what the node
/// reported for the parts it probed (`nextState`), so one difference is reported once, not after every block.
public struct StateJudgement: Sendable {
    /// Differences between the prediction and the node, as lines for the report.
    public var differences: [String] = []
    /// Commands of the block the model does not know, `file:line: text`.
    public var notModelled: [String] = []
    /// The model's state of the node for the next block.
    public var nextState: NodeState

    /// - Parameters:
    ///   - failedLine: The script line the block stopped at, when it failed on a known command.
    ///   - passed: Whether the block passed (a command the model expected to fail but that succeeded is a
    ///     difference).
    public static func judge(
        _ block: NodeBlock, before: NodeState, prediction: BlockPrediction, run: NodeResponse.RunResult,
        failedLine: Int?, passed: Bool
    ) -> StateJudgement {
        var expected = prediction
        var judgement = StateJudgement(nextState: prediction.after)
        if let failedLine {
            expected = StateModel.predict(block: block, from: before, failedLine: failedLine)
        } else if passed, let failure = prediction.evaluation.failure, case .failure(let why) = failure.outcome {
            judgement.differences.append(
                "the model expected `\(failure.command.text)` (\(failure.command.location.fileAndLine)) to fail "
                    + "(\(why.reason)), but it succeeded")
        }
        judgement.notModelled = expected.evaluation.notModelled.map {
            "\($0.command.location.fileAndLine): \($0.command.text)"
        }
        judgement.nextState = expected.after
        do {
            let observed = try ObservedState.parse(
                run.stateOutputs, node: block.node, rtTables: expected.after.rtTables)
            if !run.timedOut {
                judgement.differences += StateComparison.differences(
                    predicted: expected.after, observed: observed, probes: prediction.probes
                ).map(\.description)
            }
            judgement.nextState = expected.after.adopting(observed, probes: prediction.probes)
        } catch {
            judgement.differences.append("cannot read the node's state: \(DiagnosticText.render(error.diagnostics))")
        }
        return judgement
    }

    /// Records the judgement in a block's result; with `mode` `.fail` a difference fails a passed block.
    public func apply(to result: inout UnitResult, mode: StateCheckMode) {
        result.notModelled = notModelled
        guard !differences.isEmpty else { return }
        result.stateDifferences = differences
        if mode == .fail && result.status == .passed {
            result.status = .failed
            let count = differences.count
            result.message =
                "the kernel state after the block differs from the model (\(count) difference\(count == 1 ? "" : "s"))"
        }
    }
}
