public import NodeAgentProtocol
public import PlanModel

/// Judges an expect check: exit status and output against the expectations. Pure.
public enum ExpectJudgement {
    public static func judge(_ check: ExpectCheck, unit: Schedule.Unit, stepID: String, run: NodeResponse.RunResult)
        -> UnitResult
    {
        let problems = problems(check, status: run.exitStatus, stdout: String(decoding: run.stdout, as: UTF8.self))
        return UnitResult(
            unit: unit, stepID: stepID, kind: .expect, status: problems.isEmpty ? .passed : .failed,
            remoteSeconds: run.duration.seconds, exitStatus: run.exitStatus, timedOut: run.timedOut,
            message: problems.isEmpty ? nil : problems.joined(separator: "; "), stdout: run.stdout, stderr: run.stderr)
    }

    /// What does not hold, one phrase each; empty when the check passes.
    static func problems(_ check: ExpectCheck, status: Int32, stdout: String) -> [String] {
        var problems: [String] = []
        if status != check.status { problems.append("status \(status), expected \(check.status)") }
        for text in check.stdoutContains where !stdout.contains(text) { problems.append("stdout lacks '\(text)'") }
        for text in check.stdoutExcludes where stdout.contains(text) { problems.append("stdout contains '\(text)'") }
        if let expected = check.stdoutJSON {
            do {
                if let mismatch = try JSONSubset.firstMismatch(expected: expected, actual: stdout) {
                    problems.append("stdout JSON differs at \(mismatch)")
                }
            } catch {
                problems.append("stdout is not JSON (\(error))")
            }
        }
        if let pattern = check.stdoutMatches {
            // Loaders refuse invalid patterns; one that slipped through fails the check, never passes it.
            if let regex = try? Regex(pattern) {
                if stdout.firstMatch(of: regex) == nil { problems.append("stdout does not match /\(pattern)/") }
            } else {
                problems.append("/\(pattern)/ is not a valid regular expression")
            }
        }
        return problems
    }
}
