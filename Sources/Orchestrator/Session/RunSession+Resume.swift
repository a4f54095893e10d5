import Foundation
import PlanModel

/// `--resume`: which earlier run, and where each node stopped.
extension RunSession {
    /// The earlier run a resume continues, read and checked before anything is touched.
    struct ResumeSource {
        let path: String
        let journal: RunJournal
        let schedule: Schedule
        let predictions: ResumePredictions
    }

    /// Reads and checks the run to resume (nil when the run is not a resume).
    /// - Throws: `ResumeRefusal`.
    func resumeSource() throws(ResumeRefusal) -> ResumeSource? {
        guard let target = settings.resume else { return nil }
        var clock = ContinuousClock.now
        let path = try RunHistory.journal(for: target, plan: plan, topology: topology, stateRoot: settings.stateRoot)
        logger.debug("resume: found \(path) in \(String(format: "%.3f s", clock.secondsSince))")
        clock = .now
        let journal: RunJournal
        do {
            journal = try RunJournal.read(path: path)
            logger.debug("resume: read the journal in \(String(format: "%.3f s", clock.secondsSince))")
            clock = .now
        } catch {
            throw ResumeRefusal(
                .unusableJournal, "the run journal \(path) cannot be read",
                details: error.errors.map { "\($0.location.fileAndLine): \($0.message)" },
                hint: "name another run with --resume RUN, or run the plan without --resume")
        }
        guard journal.plan.withoutLocations() == plan.withoutLocations() else {
            throw ResumeRefusal(
                .planChanged, "the plan is not the one the run \(path) ran (its steps or commands changed)",
                hint: "resume with the plan as it was, or run the changed plan from a fresh lab")
        }
        guard let schedule = journal.schedule else {
            throw ResumeRefusal(
                .unusableJournal, "the run journal \(path) has no schedule",
                hint: "only journals testbed run writes can be resumed")
        }
        if let report = journal.report, report.succeeded {
            throw ResumeRefusal(
                .finished, "the run \(path) finished and passed: nothing to resume",
                hint: "run the plan again without --resume (on a fresh lab: --fresh)")
        }
        let passed = Set(journal.results.filter { $0.status == .passed }.map(\.unit))
        if let started = schedule.units.first(where: { unit in
            guard passed.contains(unit), case .service(let service) = plan.steps[unit.stepIndex].action else {
                return false
            }
            if case .start = service.action { return true }
            return false
        }) {
            throw ResumeRefusal(
                .services,
                "the run \(path) started service \(plan.steps[started.stepIndex].id) on \(started.node); a resumed "
                    + "run cannot take over services yet",
                hint: "stop the service on the node and run the plan again from a fresh lab")
        }
        logger.debug("resume: checked the journal in \(String(format: "%.3f s", clock.secondsSince))")
        clock = .now
        let predictions = try ResumePredictions.make(plan: plan, schedule: schedule, journal: journal)
        logger.debug("resume: predicted in \(String(format: "%.3f s", clock.secondsSince))")
        return ResumeSource(path: path, journal: journal, schedule: schedule, predictions: predictions)
    }

    /// Where each node stopped, from its state observed now, and the note saying so.
    func locate(_ source: ResumeSource, observed: [NodeName: NodeState]) throws(ResumeRefusal) -> (
        ScheduleDecision, ResumePoint
    ) {
        let clock = ContinuousClock.now
        let point = try ResumeLocator.locate(
            source.predictions, observed: observed, plan: plan, schedule: source.schedule, journal: source.journal,
            journalPath: source.path)
        logger.debug("resume: located in \(String(format: "%.3f s", clock.secondsSince))")
        var note = "resuming \(source.path): \(point.carried.count) of \(source.schedule.units.count) units done before"
        for position in point.positions.sorted(by: { $0.unit.node.rawValue < $1.unit.node.rawValue }) {
            note += "\n  \(position)"
        }
        return (ScheduleDecision(schedule: source.schedule, note: note), point)
    }
}
