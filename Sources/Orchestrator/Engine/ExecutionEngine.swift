import Foundation
public import PlanModel

/// Runs a schedule on a fleet: starts every unit the state machine allows, checks each result as it comes
/// back, and reports events in order. One task drives the loop; units run concurrently on their nodes.
public struct ExecutionEngine: Sendable {
    public let plan: Plan
    public let topologyName: String
    public let schedule: Schedule
    public let fleet: Fleet
    public let options: RunOptions
    public let stop: StopSignal
    /// The state model of every node, or nil for no state checks.
    public let tracker: StateTracker?

    public init(
        plan: Plan, topologyName: String, schedule: Schedule, fleet: Fleet, options: RunOptions, stop: StopSignal,
        tracker: StateTracker? = nil
    ) {
        self.plan = plan
        self.topologyName = topologyName
        self.schedule = schedule
        self.fleet = fleet
        self.options = options
        self.stop = stop
        self.tracker = tracker
    }

    /// Runs to the end, to the first failure (unless `keepGoing`) or to a stop request.
    public func run(observers: [any RunObserver], setupSeconds: Double, journalPath: String?) async -> RunReport {
        let startedAt = Date()
        let clock = ContinuousClock.now
        let notify = { (event: RunEvent) in for observer in observers { observer.handle(event) } }
        notify(.started(plan: plan, schedule: schedule, nodes: fleet.order))
        let executor = UnitExecutor(plan: plan, options: options, tracker: tracker)
        var machine = RunStateMachine(schedule: schedule, keepGoing: options.keepGoing)
        var results: [Schedule.Unit: UnitResult] = [:]
        var interrupted = false
        let unitsOfStep = Dictionary(grouping: schedule.units, by: \.stepIndex)
        /// Emits `stepFinished` for every step whose units have all ended (skipped ones get results here).
        func reportCompletedSteps() {
            for index in machine.takeCompletedSteps() {
                let units = unitsOfStep[index] ?? []
                for unit in units where results[unit] == nil {
                    results[unit] = UnitResult(
                        unit: unit, stepID: plan.steps[index].id, kind: Self.kind(of: plan.steps[index]),
                        status: .skipped)
                }
                notify(.stepFinished(stepIndex: index, results: units.compactMap { results[$0] }))
            }
        }

        await withTaskGroup(of: UnitResult.self) { group in
            while true {
                if !machine.isStopped, let reason = stop.reason {
                    machine.stop()
                    interrupted = true
                    notify(.stopping(reason: reason))
                }
                for unit in machine.takeRunnable() {
                    notify(.unitStarted(unit))
                    guard let connection = fleet.connections[unit.node] else {
                        let step = plan.steps[unit.stepIndex]
                        group.addTask {
                            UnitResult(
                                unit: unit, stepID: step.id, kind: .block, status: .failed,
                                message: "no connection to \(unit.node)")
                        }
                        continue
                    }
                    group.addTask { await executor.execute(unit, on: connection) }
                }
                reportCompletedSteps()
                guard let result = await group.next() else { break }
                machine.finish(result.unit, passed: result.status == .passed)
                results[result.unit] = result
                notify(.unitFinished(result))
                if result.status == .failed && !options.keepGoing {
                    notify(.stopping(reason: "\(result.unit.node) failed in step \(result.stepID)"))
                }
            }
        }
        machine.skipRemaining()
        reportCompletedSteps()

        let ordered = schedule.units.map { unit in
            results[unit]
                ?? UnitResult(
                    unit: unit, stepID: plan.steps[unit.stepIndex].id, kind: Self.kind(of: plan.steps[unit.stepIndex]),
                    status: .skipped)
        }
        let report = RunReport(
            planTitle: plan.title, planPath: plan.sourcePath, topologyName: topologyName, schedule: schedule.mode,
            startedAt: startedAt, seconds: (ContinuousClock.now - clock).seconds, setupSeconds: setupSeconds,
            results: ordered, interrupted: interrupted, journalPath: journalPath)
        notify(.finished(report))
        return report
    }

    static func kind(of step: Step) -> UnitResult.Kind {
        switch step.action {
        case .blocks: .block
        case .reach: .reach
        case .expect: .expect
        }
    }
}
