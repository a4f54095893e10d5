import PlanModel

/// Tries a check until it holds: again every `interval`, until it has passed `consecutivePasses` times in a
/// row or `timeout` has passed since the first attempt. The result says how many attempts it took, how long
/// the condition took to hold, and what the last failing attempt said.
struct RetryLoop {
    let policy: RetryPolicy
    let stop: StopSignal

    func run(_ attempt: () async -> UnitResult) async -> UnitResult {
        let start = ContinuousClock.now
        var attempts = 0
        var passes = 0
        var lastFailure: UnitResult?
        while true {
            attempts += 1
            var result = await attempt()
            if result.status == .passed {
                passes += 1
                if passes >= policy.consecutivePasses {
                    result.attempts = attempts
                    result.convergedAfter = start.secondsSince
                    result.lastFailedAttempt = lastFailure?.message
                    return result
                }
            } else {
                passes = 0
                lastFailure = result
            }
            let elapsed = ContinuousClock.now - start
            if elapsed + policy.interval > policy.timeout || stop.reason != nil {
                return gaveUp(result, lastFailure: lastFailure, attempts: attempts, passes: passes, after: elapsed)
            }
            // The pause between attempts is what a condition replaces a fixed sleep with; it is not a timing
            // assumption: the check decides.
            try? await Task.sleep(for: policy.interval)
        }
    }

    private func gaveUp(
        _ last: UnitResult, lastFailure: UnitResult?, attempts: Int, passes: Int, after elapsed: Duration
    ) -> UnitResult {
        var result = lastFailure ?? last
        result.status = .failed
        result.attempts = attempts
        result.lastFailedAttempt = lastFailure?.message
        let why =
            stop.reason != nil
            ? "stopped after \(attempts) attempt\(attempts == 1 ? "" : "s")"
            : "did not hold within \(String(format: "%.1f", elapsed.seconds)) s (\(attempts) attempts"
                + (passes > 0 ? ", the last \(passes) passed of \(policy.consecutivePasses) needed in a row" : "")
                + ")"
        result.message = why + (lastFailure?.message.map { ": \($0)" } ?? "")
        return result
    }
}
