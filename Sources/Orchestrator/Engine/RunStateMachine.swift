public import PlanModel

/// Which units of a schedule may start, given what has finished. Pure: no I/O, no clocks.
///
/// Rules: stages run one after the other; inside a stage each node runs its units in order, one at a time,
/// and nodes run concurrently. A failure stops the run (nothing new starts, what runs finishes) unless
/// `keepGoing`, in which case only the failed node's later units are skipped — every other node goes on,
/// because no command's success depends on another node's state (checks of a failed node are skipped too).
/// `stop()` (Ctrl-C) ends the run the same way a failure does.
public struct RunStateMachine: Sendable {
    public enum UnitState: Sendable, Hashable {
        case pending, running, passed, failed, skipped
    }

    public let schedule: Schedule
    public let keepGoing: Bool
    public private(set) var states: [Schedule.Unit: UnitState]
    public private(set) var stageIndex = 0
    public private(set) var isStopped = false
    public private(set) var failedNodes: Set<String> = []

    public init(schedule: Schedule, keepGoing: Bool) {
        self.schedule = schedule
        self.keepGoing = keepGoing
        self.states = Dictionary(uniqueKeysWithValues: schedule.units.map { ($0, .pending) })
    }

    /// Units that may start now; they are marked running.
    public mutating func takeRunnable() -> [Schedule.Unit] {
        var started: [Schedule.Unit] = []
        while stageIndex < schedule.stages.count {
            let stage = schedule.stages[stageIndex].units
            if isStopped {
                for unit in stage where states[unit] == .pending { states[unit] = .skipped }
            }
            var busy = Set(stage.filter { states[$0] == .running }.map(\.node))
            for unit in stage where states[unit] == .pending && !busy.contains(unit.node) {
                if failedNodes.contains(unit.node) {
                    states[unit] = .skipped
                    continue
                }
                busy.insert(unit.node)
                states[unit] = .running
                started.append(unit)
            }
            // A stage is over when none of its units is pending or running; then the next may begin.
            if stage.allSatisfy({ states[$0] != .pending && states[$0] != .running }) {
                stageIndex += 1
                continue
            }
            break
        }
        if isStopped {
            for unit in schedule.units where states[unit] == .pending { states[unit] = .skipped }
        }
        return started
    }

    /// Records how a running unit ended.
    public mutating func finish(_ unit: Schedule.Unit, passed: Bool) {
        guard states[unit] == .running else { return }
        states[unit] = passed ? .passed : .failed
        if !passed {
            failedNodes.insert(unit.node)
            if !keepGoing { isStopped = true }
        }
    }

    /// Starts nothing new from now on (Ctrl-C); running units finish.
    public mutating func stop() { isStopped = true }

    public var runningCount: Int { states.values.filter { $0 == .running }.count }

    /// True when nothing runs and nothing more will start.
    public var isFinished: Bool {
        runningCount == 0 && (isStopped || stageIndex >= schedule.stages.count)
    }

    /// True when every unit of the step has ended (passed, failed or skipped).
    public func isStepDone(_ stepIndex: Int) -> Bool {
        schedule.units.filter { $0.stepIndex == stepIndex }.allSatisfy {
            let state = states[$0]
            return state == .passed || state == .failed || state == .skipped
        }
    }
}
