public import PlanModel

/// Which units of a schedule may start, given what has finished. Pure: no I/O, no clocks.
///
/// Rules: stages run one after the other; inside a stage each node runs its units in order, one at a time,
/// and nodes run concurrently. A failure stops the run (nothing new starts, what runs finishes) unless
/// `keepGoing`, in which case only the failed node's later units are skipped — every other node goes on,
/// because no command's success depends on another node's state (checks of a failed node are skipped too).
/// `stop()` (Ctrl-C) ends the run the same way a failure does.
///
/// Every operation costs O(units of the current stage); per-step counters make step completion O(1), which
/// matters for plans of hundreds of steps.
public struct RunStateMachine: Sendable {
    public enum UnitState: Sendable, Hashable {
        case pending, running, passed, failed, skipped

        var isOver: Bool { self == .passed || self == .failed || self == .skipped }
    }

    public let schedule: Schedule
    public let keepGoing: Bool
    public private(set) var states: [Schedule.Unit: UnitState]
    public private(set) var stageIndex = 0
    public private(set) var isStopped = false
    public private(set) var failedNodes: Set<NodeName> = []
    public private(set) var runningCount = 0
    /// Units of each step not yet over.
    private var remaining: [Int: Int] = [:]
    /// Steps whose units are all over, not yet taken by `takeCompletedSteps()`.
    private var completed: [Int] = []
    /// The pause of a wait step, once everything before it has finished; `finishPause()` moves past it.
    public private(set) var pendingPause: Schedule.Pause?
    /// Units that start together with the unit just before them on their node in their stage (see
    /// `ReachGrouping`): one request for the node's group.
    public let joins: Set<Schedule.Unit>

    /// - Parameters:
    ///   - done: Units that passed in an earlier run (a resume): they start out passed, and steps they complete
    ///     are not reported again.
    ///   - joins: Units started in one group with the unit before them on their node (see `ReachGrouping`).
    public init(
        schedule: Schedule, keepGoing: Bool, done: Set<Schedule.Unit> = [], joins: Set<Schedule.Unit> = []
    ) {
        self.schedule = schedule
        self.keepGoing = keepGoing
        self.joins = joins
        let units = schedule.units
        self.states = Dictionary(uniqueKeysWithValues: units.map { ($0, done.contains($0) ? .passed : .pending) })
        for unit in units where !done.contains(unit) { remaining[unit.stepIndex, default: 0] += 1 }
        for unit in units where done.contains(unit) { remaining[unit.stepIndex] = remaining[unit.stepIndex] ?? 0 }
    }

    /// Units that may start now; they are marked running.
    public mutating func takeRunnable() -> [Schedule.Unit] { takeRunnableGroups().flatMap(\.self) }

    /// Units that may start now, in groups of one node's consecutive units that share a request (a group of
    /// one without `joins`); they are marked running.
    public mutating func takeRunnableGroups() -> [[Schedule.Unit]] {
        var started: [[Schedule.Unit]] = []
        while stageIndex < schedule.stages.count {
            if let pause = schedule.stages[stageIndex].pause {
                // A stopped run skips its waits; otherwise the wait begins once nothing runs.
                if isStopped {
                    stageIndex += 1
                    continue
                }
                if runningCount == 0 { pendingPause = pause }
                break
            }
            let stage = schedule.stages[stageIndex].units
            var busy = Set(stage.filter { states[$0] == .running }.map(\.node))
            // The group each node started in this call, while its next units may still join it.
            var open: [NodeName: Int] = [:]
            for unit in stage where states[unit] == .pending {
                if isStopped || failedNodes.contains(unit.node) {
                    end(unit, as: .skipped)
                } else if let group = open[unit.node], joins.contains(unit) {
                    start(unit)
                    started[group].append(unit)
                } else if !busy.contains(unit.node) {
                    busy.insert(unit.node)
                    start(unit)
                    open[unit.node] = started.count
                    started.append([unit])
                } else {
                    open[unit.node] = nil
                }
            }
            // A stage is over when none of its units is pending or running; then the next may begin.
            guard stage.allSatisfy({ states[$0]?.isOver ?? true }) else { break }
            stageIndex += 1
        }
        return started
    }

    private mutating func start(_ unit: Schedule.Unit) {
        states[unit] = .running
        runningCount += 1
    }

    /// A running unit of a group that was not judged, because an earlier unit of its group failed: skipped,
    /// as it would have been had it been sent on its own.
    public mutating func abandon(_ unit: Schedule.Unit) {
        guard states[unit] == .running else { return }
        runningCount -= 1
        end(unit, as: .skipped)
    }

    /// Records how a running unit ended.
    public mutating func finish(_ unit: Schedule.Unit, passed: Bool) {
        guard states[unit] == .running else { return }
        runningCount -= 1
        end(unit, as: passed ? .passed : .failed)
        if !passed {
            failedNodes.insert(unit.node)
            if !keepGoing { isStopped = true }
        }
    }

    /// The pending pause is over: the next stage may begin.
    public mutating func finishPause() {
        guard pendingPause != nil else { return }
        pendingPause = nil
        stageIndex += 1
    }

    /// Starts nothing new from now on (Ctrl-C); running units finish.
    public mutating func stop() { isStopped = true }

    /// True when nothing runs and nothing more will start.
    public var isFinished: Bool {
        runningCount == 0 && pendingPause == nil && (isStopped || stageIndex >= schedule.stages.count)
    }

    /// True when every unit of the step has ended (passed, failed or skipped).
    public func isStepDone(_ stepIndex: Int) -> Bool { remaining[stepIndex, default: 0] == 0 }

    /// Steps that became complete since the last call, in plan order.
    public mutating func takeCompletedSteps() -> [Int] {
        defer { completed.removeAll() }
        return completed.sorted()
    }

    /// Marks every unit that has not started as skipped (the run is over).
    public mutating func skipRemaining() {
        for unit in schedule.units where states[unit] == .pending { end(unit, as: .skipped) }
    }

    private mutating func end(_ unit: Schedule.Unit, as state: UnitState) {
        states[unit] = state
        remaining[unit.stepIndex, default: 1] -= 1
        if remaining[unit.stepIndex] == 0 { completed.append(unit.stepIndex) }
    }
}
