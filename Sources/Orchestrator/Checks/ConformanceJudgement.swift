public import PlanModel

/// Judges one attempt of a conformance check: the documented blocks' predicted state against the node's
/// observed state, after binding the names the program chose. Pure.
public enum ConformanceJudgement {
    public struct Attempt: Sendable {
        public var differences: [String]
        /// The bindings after this attempt (the run keeps them for later checks).
        public var binding: ConformanceBinding
    }

    /// What the documented blocks predict from `base`; a documented command the model says would fail is a
    /// finding of its own (the documentation cannot be carried out from that state).
    public static func predict(_ check: ConformCheck, from base: NodeState) -> (NodeState, [String]) {
        var state = base
        var problems: [String] = []
        for block in check.documented {
            let evaluation = StateModel.evaluate(block, from: state)
            state = evaluation.state
            if let failure = evaluation.failure, case .failure(let why) = failure.outcome {
                problems.append(
                    "the documented `\(failure.command.text)` (\(failure.command.location.fileAndLine)) cannot run "
                        + "from the state before it: \(why.reason)")
            }
        }
        return (state, problems)
    }

    public static func attempt(
        predicted: NodeState, observed: NodeState, binding: ConformanceBinding, probes: [StateProbe]
    ) -> Attempt {
        let bound = binding.inferred(predicted: predicted, observed: observed)
        let expected = bound.apply(to: predicted)
        var differences = StateComparison.differences(predicted: expected, observed: observed, probes: probes)
        if let first = differences.firstIndex(where: { $0.subject.hasPrefix("rt_tables line ") }) {
            differences.removeAll { $0.subject.hasPrefix("rt_tables line ") }
            differences.insert(contentsOf: rtTablesDifferences(predicted: expected, observed: observed), at: first)
        }
        return Attempt(differences: differences.map(\.description), binding: bound)
    }
}
