public import PlanModel

/// Which schedule a run uses, and why: parallel order only where the state model shows that it reaches the
/// same state as document order.
public struct ScheduleDecision: Sendable {
    /// What the user asked for (`--schedule`).
    public enum Choice: String, Sendable, CaseIterable {
        /// Parallel when shown equivalent, else document order.
        case auto
        case document
        /// Parallel, refused when it cannot be shown equivalent.
        case parallel
    }

    /// Parallel order was asked for and cannot be shown equivalent.
    public struct Refusal: DiagnosticConvertible, Sendable {
        public var reasons: [String]

        public var diagnostics: [Diagnostic] {
            [
                Diagnostic(
                    code: "schedule.not-shown", category: .refused,
                    message: "parallel order cannot be shown to end in the same state as document order:",
                    details: Array(reasons.prefix(5)) + (reasons.count > 5 ? ["… and \(reasons.count - 5) more"] : []),
                    hint: "use --schedule document (or auto, which falls back to it)")
            ]
        }
    }

    public var schedule: Schedule
    /// One line (or a few) for the user.
    public var note: String

    /// - Throws: `InputError` for an unknown --from/--to step; `Refusal` for parallel order that cannot be shown.
    public static func decide(
        _ choice: Choice, plan: Plan, topology: Topology, states: [NodeName: NodeState], from: String? = nil,
        to: String? = nil
    ) throws -> ScheduleDecision {
        let document = try Schedule.make(for: plan, mode: .document, from: from, to: to)
        if choice == .document {
            return ScheduleDecision(schedule: document, note: "schedule: document order (as asked)")
        }
        let parallel = try Schedule.make(for: plan, mode: .parallel, from: from, to: to)
        let verdict = ScheduleEquivalence.check(plan, schedule: parallel, topology: topology, initialStates: states)
        if verdict.isEquivalent {
            return ScheduleDecision(
                schedule: parallel,
                note:
                    "schedule: parallel, \(parallel.stages.count) stages (the state model shows it ends in the same state as document order)"
            )
        }
        if choice == .parallel { throw Refusal(reasons: verdict.reasons) }
        let reasons = verdict.reasons.prefix(5).map { "  \($0)" }.joined(separator: "\n")
        let more = verdict.reasons.count > 5 ? "\n  … and \(verdict.reasons.count - 5) more" : ""
        return ScheduleDecision(
            schedule: document,
            note: "schedule: document order (parallel order could not be shown equivalent:\n\(reasons)\(more))")
    }
}
