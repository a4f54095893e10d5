public import NodeAgentProtocol
public import PlanModel

/// Judges how a block ended: passed, stopped by its timeout, or which command of which plan line failed.
/// Pure: the block, what was sent and what came back.
public enum BlockJudgement {
    /// The unit's result from the agent's answer.
    /// - Parameters:
    ///   - compiled: The `ip -batch` form that was sent, if the block was batched (failing lines are mapped back).
    ///   - blockTimeout: The timeout the block ran under, for the message.
    public static func judge(
        _ block: NodeBlock, unit: Schedule.Unit, stepID: String, run: NodeResponse.RunResult,
        compiled: CompiledBlock?, blockTimeout: Duration
    ) -> UnitResult {
        var result = UnitResult(
            unit: unit, stepID: stepID, kind: .block, status: run.exitStatus == 0 && !run.timedOut ? .passed : .failed,
            remoteSeconds: run.duration.seconds, exitStatus: run.exitStatus, timedOut: run.timedOut,
            stdout: run.stdout, stderr: run.stderr)
        guard result.status == .failed else { return result }
        if run.timedOut {
            result.message = "stopped after the block timeout of \(blockTimeout.seconds) s"
            return result
        }
        guard let reported = run.failedLine else {
            result.message = "the block ended with status \(run.exitStatus)"
            return result
        }
        let stderr = String(decoding: run.stderr, as: UTF8.self)
        let attribution =
            compiled?.originalLine(forCompiledLine: reported, stderr: stderr)
            ?? CompiledBlock.Attribution(line: reported, exact: true, inBatch: false)
        guard let command = block.command(atScriptLine: attribution.line) else {
            result.message = "the block ended with status \(run.exitStatus) at line \(reported)"
            return result
        }
        result.failingCommand = command
        let status = run.failedStatus ?? run.exitStatus
        result.exitStatus = status
        let what = "`\(command.text)` (\(command.location.fileAndLine))"
        if let range = attribution.range {
            result.message =
                "one of lines \(range.lowerBound)–\(range.upperBound) of the block, run together by ip -batch, "
                + "failed (ip -batch status \(status); ip did not say which)"
        } else if attribution.inBatch {
            let inferred = attribution.exact ? "" : "; line inferred from ip's message"
            result.message = "\(what) failed (ip -batch status \(status)\(inferred))"
        } else {
            result.message = "\(what) exited with status \(status)"
        }
        return result
    }
}
