public import PlanModel

/// What happens during a run, in order, as reporters see it.
public enum RunEvent: Sendable {
    case started(plan: Plan, schedule: Schedule, nodes: [NodeName])
    case unitStarted(Schedule.Unit)
    case unitFinished(UnitResult)
    /// Every unit of the step has ended.
    case stepFinished(stepIndex: Int, results: [UnitResult])
    case stopping(reason: String)
    /// A wait step pauses the run.
    case paused(stepIndex: Int, milliseconds: Int)
    case finished(RunReport)
}

/// Receives run events, on the engine's task, one at a time and in order.
public protocol RunObserver: AnyObject {
    func handle(_ event: RunEvent)
}
