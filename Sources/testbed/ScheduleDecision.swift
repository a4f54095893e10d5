import ArgumentParser
import PlanModel

/// Which schedule a run uses, and why.
struct ScheduleDecision {
    var schedule: Schedule
    var note: String

    /// Parallel order only where the state model shows it reaches the same state as document order.
    /// - Throws: `InputError` for an unknown --from/--to step; `ValidationError` when parallel order is asked
    ///   for but cannot be shown equivalent.
    static func decide(
        _ choice: ScheduleChoice, plan: Plan, topology: Topology, states: [String: NodeState], from: String?, to: String?
    ) throws -> ScheduleDecision {
        let document = try Schedule.make(for: plan, mode: .document, from: from, to: to)
        if choice == .document { return ScheduleDecision(schedule: document, note: "schedule: document order (as asked)") }
        let parallel = try Schedule.make(for: plan, mode: .parallel, from: from, to: to)
        let verdict = ScheduleEquivalence.check(plan, schedule: parallel, topology: topology, initialStates: states)
        if verdict.isEquivalent {
            return ScheduleDecision(
                schedule: parallel,
                note: "schedule: parallel, \(parallel.stages.count) stages (the state model shows it ends in the same state as document order)")
        }
        let reasons = verdict.reasons.prefix(5).map { "  \($0)" }.joined(separator: "\n")
        let more = verdict.reasons.count > 5 ? "\n  … and \(verdict.reasons.count - 5) more" : ""
        if choice == .parallel {
            throw ValidationError(
                "parallel order cannot be shown to end in the same state as document order:\n\(reasons)\(more)\n"
                    + "use --schedule document (or auto, which falls back to it)")
        }
        return ScheduleDecision(
            schedule: document, note: "schedule: document order (parallel order could not be shown equivalent:\n\(reasons)\(more))")
    }
}
