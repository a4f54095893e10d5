public import Foundation
public import PlanModel

/// A line of a run's event stream: the `--json` output and the run's journal file.
public struct RunJournalRecord: Codable, Sendable {
    /// What happened; the JSON spells it in snake case.
    public enum Event: String, Codable, Sendable {
        case runStarted = "run_started"
        case unitStarted = "unit_started"
        case unitFinished = "unit_finished"
        case stepFinished = "step_finished"
        case stopping
        case paused
        case runFinished = "run_finished"
    }

    /// How a step ended, all its units together.
    public enum StepStatus: String, Codable, Sendable {
        case passed, failed, skipped
    }

    public var event: Event
    public var time: Date
    public var plan: Plan?
    public var schedule: Schedule?
    public var nodes: [NodeName]?
    public var unit: Schedule.Unit?
    public var result: UnitResult?
    public var step: String?
    public var stepIndex: Int?
    public var status: StepStatus?
    public var reason: String?
    public var report: RunReport?
    /// Seconds since the run started (`time` has whole seconds only); absent in journals written before it.
    public var elapsed: Double?
    /// In `run_started` of a journal: the topology, every node's kernel state when the run connected (when
    /// the run checked state), and the packet captures started for the run — absent in older journals.
    public var topology: Topology?
    public var initialStates: [NodeState]?
    public var captures: [PacketCaptureFile]?
    /// In `run_started` of a resumed run: the run it continues and where.
    public var resume: ResumePoint?

    public init(event: Event, time: Date = Date()) {
        self.event = event
        self.time = time
    }

    /// The record of a run event; `includesPlan` puts the whole plan and schedule in `run_started` (the journal
    /// does, so a journal alone can be rendered or resumed).
    public init(_ event: RunEvent, includesPlan: Bool, time: Date = Date()) {
        switch event {
        case .started(let plan, let schedule, let nodes):
            self.init(event: .runStarted, time: time)
            self.plan = includesPlan ? plan : nil
            self.schedule = includesPlan ? schedule : nil
            self.step = plan.title
            self.nodes = nodes
        case .unitStarted(let unit):
            self.init(event: .unitStarted, time: time)
            self.unit = unit
        case .unitFinished(let result):
            self.init(event: .unitFinished, time: time)
            self.result = result
        case .stepFinished(let index, let results):
            self.init(event: .stepFinished, time: time)
            self.stepIndex = index
            self.step = results.first?.stepID
            self.status =
                results.contains { $0.status == .failed }
                ? .failed : results.allSatisfy { $0.status == .skipped } ? .skipped : .passed
        case .stopping(let reason):
            self.init(event: .stopping, time: time)
            self.reason = reason
        case .paused(let index, let milliseconds):
            self.init(event: .paused, time: time)
            self.stepIndex = index
            self.reason = "wait \(milliseconds) ms"
        case .finished(let report):
            self.init(event: .runFinished, time: time)
            self.report = report
        }
    }
}
