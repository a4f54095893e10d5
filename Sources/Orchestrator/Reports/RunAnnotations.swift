public import PlanModel

/// Turns a finished run's results into the per-step annotations the page renderer prints.
public enum RunAnnotations {
    public static func make(plan: Plan, results: [UnitResult]) -> [String: RunAnnotation] {
        var byStep: [Int: [UnitResult]] = [:]
        for result in results { byStep[result.unit.stepIndex, default: []].append(result) }
        var annotations: [String: RunAnnotation] = [:]
        for (index, step) in plan.steps.enumerated() {
            guard let units = byStep[index], !units.isEmpty else {
                annotations[step.id] = RunAnnotation(outcome: .notRun)
                continue
            }
            let blocks = units.sorted { ($0.unit.blockIndex ?? 0) < ($1.unit.blockIndex ?? 0) }.map(annotation)
            var whole = RunAnnotation(
                outcome: units.contains { $0.status == .failed }
                    ? .failed : units.allSatisfy { $0.status == .skipped } ? .skipped : .passed,
                duration: .milliseconds(Int((units.map(\.seconds).max() ?? 0) * 1000)),
                message: units.first { $0.status == .failed }?.message)
            if step.blocks.count > 1 { whole.blocks = blocks }
            annotations[step.id] = whole
        }
        return annotations
    }

    private static func annotation(_ result: UnitResult) -> RunAnnotation {
        let outcome: RunAnnotation.Outcome =
            switch result.status {
            case .passed: .passed
            case .failed: .failed
            case .skipped: .skipped
            }
        var message = result.message
        if let first = result.stateDifferences.first { message = (message.map { $0 + "; " } ?? "") + first }
        return RunAnnotation(
            outcome: outcome, duration: result.status == .skipped ? nil : .milliseconds(Int(result.seconds * 1000)),
            message: message)
    }
}
