public import PlanModel

/// Which reach checks share one ping request with the check before them. Pure.
///
/// In a stage, a node's consecutive reach checks wait for the same things and change nothing, so the agent can
/// ping all their addresses with one prober in one round trip; each check is still judged on its own addresses.
/// A check joins the one before it on its node in the same stage when both are reach checks from the same
/// namespace with the same echo count and timeout, and neither is retried (a retried check keeps its own loop).
public enum ReachGrouping {
    /// The units that join the group of the unit just before them on their node in their stage.
    public static func joins(plan: Plan, schedule: Schedule) -> Set<Schedule.Unit> {
        var joins: Set<Schedule.Unit> = []
        for stage in schedule.stages {
            var previous: [NodeName: Schedule.Unit] = [:]
            for unit in stage.units {
                if let before = previous[unit.node], shareRequest(before, unit, plan: plan) { joins.insert(unit) }
                previous[unit.node] = unit
            }
        }
        return joins
    }

    static func shareRequest(_ first: Schedule.Unit, _ second: Schedule.Unit, plan: Plan) -> Bool {
        guard case .reach(let one) = plan.steps[first.stepIndex].action,
            case .reach(let other) = plan.steps[second.stepIndex].action
        else { return false }
        return one.retry == nil && other.retry == nil && one.netns == other.netns && one.count == other.count
            && one.timeoutMilliseconds == other.timeoutMilliseconds
    }
}
