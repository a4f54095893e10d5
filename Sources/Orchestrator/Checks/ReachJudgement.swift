public import NodeAgentProtocol
public import PlanModel

/// Judges a reach check from the agent's ping answers. Pure.
public enum ReachJudgement {
    public static func judge(
        _ check: ReachCheck, unit: Schedule.Unit, stepID: String, ping: NodeResponse.PingResult
    ) -> UnitResult {
        let outcomes = ping.targets.map {
            PingOutcome(
                address: $0.address, reachable: $0.isReachable, averageMilliseconds: $0.averageRoundTrip?.milliseconds)
        }
        let asked = Set(check.targets.map(\.description))
        let answered = Set(outcomes.map(\.address))
        let missing = check.targets.map(\.description).filter { !answered.contains($0) }
        let wrong = outcomes.filter { asked.contains($0.address) && $0.reachable != (check.expectation == .reachable) }
            .map(\.address)
        var result = UnitResult(
            unit: unit, stepID: stepID, kind: .reach, status: wrong.isEmpty && missing.isEmpty ? .passed : .failed,
            pings: outcomes)
        let from = "from \(check.node)\(check.netns.map { " (netns \($0))" } ?? "")"
        if !missing.isEmpty {
            result.message = "\(from): the agent gave no result for \(missing.joined(separator: ", "))"
        } else if !wrong.isEmpty {
            result.message =
                check.expectation == .reachable
                ? "\(from): no answer from \(wrong.joined(separator: ", "))"
                : "\(from): \(wrong.joined(separator: ", ")) answered, but the check expects no answer"
        }
        return result
    }
}
