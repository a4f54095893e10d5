import Foundation
public import PlanModel

/// Runs a schedule on a set of nodes: starts every unit the state machine allows, has each result judged as
/// it comes back, and reports events in order. One task drives the loop; units run concurrently on their nodes.
public struct ExecutionEngine: Sendable {
    public let plan: Plan
    public let topologyName: String
    public let schedule: Schedule
    /// The node of every unit, by name; `order` is the topology's node order, for reports.
    public let channels: [NodeName: any NodeChannel]
    public let order: [NodeName]
    public let options: RunOptions
    public let stop: StopSignal
    /// The state model of every node, or nil for no state checks.
    public let tracker: StateTracker?
    /// The services the run starts; the caller stops and collects them at the end.
    public let services: ServiceRegistry
    /// Where a resumed run starts: the units done before, and the command each resumed block starts at.
    public let resume: ResumePoint?
    /// Makes the plan's fault steps happen.
    public let faults: FaultInjector?

    public init(
        plan: Plan, topologyName: String, schedule: Schedule, channels: [NodeName: any NodeChannel],
        order: [NodeName], options: RunOptions, stop: StopSignal, tracker: StateTracker? = nil,
        services: ServiceRegistry = ServiceRegistry(), resume: ResumePoint? = nil, faults: FaultInjector? = nil
    ) {
        self.resume = resume
        self.faults = faults
        self.services = services
        self.plan = plan
        self.topologyName = topologyName
        self.schedule = schedule
        self.channels = channels
        self.order = order
        self.options = options
        self.stop = stop
        self.tracker = tracker
    }

    /// Runs to the end, to the first failure (unless `keepGoing`) or to a stop request. Every event but the
    /// last goes to the observers; the caller sends `.finished` once it has completed the report.
    /// - Parameters:
    ///   - journalFailure: Asked at the end whether the journal (one of the observers) lost a record.
    public func run(
        observers: [any RunObserver], setupSeconds: Double, journalPath: String?,
        journalFailure: () -> String? = { nil }
    ) async -> RunReport {
        let startedAt = Date()
        let clock = ContinuousClock.now
        let notify = { (event: RunEvent) in for observer in observers { observer.handle(event) } }
        notify(.started(plan: plan, schedule: schedule, nodes: order))
        var configured = UnitRunner(plan: plan, options: options, tracker: tracker, stop: stop, services: services)
        configured.startCommands = resume?.startCommands ?? [:]
        configured.faults = faults
        configured.channels = channels
        configured.resumeNotes = Dictionary(
            (resume?.positions ?? []).map { ($0.unit, $0.reason) }, uniquingKeysWith: { $1 })
        let runner = configured
        let joins = options.groupsReachChecks ? ReachGrouping.joins(plan: plan, schedule: schedule) : []
        var progress = Progress(
            plan: plan, schedule: schedule,
            machine: RunStateMachine(
                schedule: schedule, keepGoing: options.keepGoing, done: resume?.doneUnits ?? [], joins: joins))
        for result in resume?.carried ?? [] { progress.results[result.unit] = result }
        var interrupted = false

        await withTaskGroup(of: GroupOutcome.self) { group in
            while true {
                if !progress.machine.isStopped, let reason = stop.reason {
                    progress.machine.stop()
                    interrupted = true
                    notify(.stopping(reason: reason))
                }
                for units in progress.machine.takeRunnableGroups() {
                    // A group's later units are announced with their results: unjudged ones never started.
                    notify(.unitStarted(units[0]))
                    guard let channel = channels[units[0].node] else {
                        let step = plan.steps[units[0].stepIndex]
                        group.addTask {
                            let failed = UnitResult(
                                unit: units[0], stepID: step.id, kind: Self.kind(of: step), status: .failed,
                                message: "no connection to \(units[0].node)")
                            return GroupOutcome(units: units, results: [failed])
                        }
                        continue
                    }
                    group.addTask {
                        let results =
                            units.count == 1
                            ? [await runner.execute(units[0], on: channel)]
                            : await runner.executeGroup(units, on: channel)
                        return GroupOutcome(units: units, results: results)
                    }
                }
                progress.reportCompletedSteps(notify)
                if let pause = progress.machine.pendingPause {
                    notify(.paused(stepIndex: pause.stepIndex, milliseconds: pause.milliseconds))
                    await Self.sleep(.milliseconds(pause.milliseconds), unless: stop)
                    progress.machine.finishPause()
                    continue
                }
                guard let outcome = await group.next() else { break }
                for (index, result) in outcome.results.enumerated() {
                    if index > 0 { notify(.unitStarted(result.unit)) }
                    progress.record(result)
                    notify(.unitFinished(result))
                    if result.status == .failed && !options.keepGoing {
                        notify(.stopping(reason: "\(result.unit.node) failed in step \(result.stepID)"))
                    }
                }
                for unit in outcome.units.dropFirst(outcome.results.count) { progress.machine.abandon(unit) }
            }
        }
        progress.machine.skipRemaining()
        progress.reportCompletedSteps(notify)

        var report = RunReport(
            planTitle: plan.title, planPath: plan.sourcePath, topologyName: topologyName, schedule: schedule.mode,
            startedAt: startedAt, seconds: clock.secondsSince, setupSeconds: setupSeconds,
            results: progress.orderedResults(), interrupted: interrupted, journalPath: journalPath)
        report.journalFailure = journalFailure()
        report.resumedFrom = resume?.journalPath
        return report
    }

    static func kind(of step: Step) -> UnitResult.Kind {
        switch step.action {
        case .blocks, .wait: .block
        case .reach: .reach
        case .expect: .expect
        case .service: .service
        case .conform: .conform
        case .fault: .fault
        }
    }

    /// Sleeps, in short slices so a stop request (Ctrl-C) ends the wait early.
    static func sleep(_ duration: Duration, unless stop: StopSignal) async {
        let end = ContinuousClock.now + duration
        while stop.reason == nil, ContinuousClock.now < end {
            try? await Task.sleep(for: min(.milliseconds(100), ContinuousClock.now.duration(to: end)))
        }
    }

    /// The units started together and the results of those judged, in order: a result for each unit up to the
    /// first failure; the units after it are left unjudged.
    private struct GroupOutcome: Sendable {
        var units: [Schedule.Unit]
        var results: [UnitResult]
    }

    /// The results so far and the state machine, with the bookkeeping of finished steps.
    private struct Progress {
        let plan: Plan
        let schedule: Schedule
        var machine: RunStateMachine
        var results: [Schedule.Unit: UnitResult] = [:]
        let unitsOfStep: [Int: [Schedule.Unit]]

        init(plan: Plan, schedule: Schedule, machine: RunStateMachine) {
            self.plan = plan
            self.schedule = schedule
            self.machine = machine
            self.unitsOfStep = Dictionary(grouping: schedule.units, by: \.stepIndex)
        }

        mutating func record(_ result: UnitResult) {
            machine.finish(result.unit, passed: result.status == .passed)
            results[result.unit] = result
        }

        /// Emits `stepFinished` for every step whose units have all ended (skipped ones get results here).
        mutating func reportCompletedSteps(_ notify: (RunEvent) -> Void) {
            for index in machine.takeCompletedSteps() {
                let units = unitsOfStep[index] ?? []
                for unit in units where results[unit] == nil { results[unit] = skipped(unit) }
                notify(.stepFinished(stepIndex: index, results: units.compactMap { results[$0] }))
            }
        }

        func orderedResults() -> [UnitResult] { schedule.units.map { results[$0] ?? skipped($0) } }

        private func skipped(_ unit: Schedule.Unit) -> UnitResult {
            let step = plan.steps[unit.stepIndex]
            return UnitResult(unit: unit, stepID: step.id, kind: ExecutionEngine.kind(of: step), status: .skipped)
        }
    }
}
