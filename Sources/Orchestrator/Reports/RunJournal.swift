public import Foundation
public import PlanModel

/// A run's journal read back: the plan, the schedule, what finished, and the report if the run ended.
public struct RunJournal: Sendable {
    public var plan: Plan
    public var schedule: Schedule?
    public var results: [UnitResult]
    public var report: RunReport?
    /// A last line cut short (a run killed while writing it); every earlier line was read.
    public var warnings: [InputError]
    /// Units that started (`unit_started`), in order: with `results`, what was in flight when the run ended.
    public var started: [Schedule.Unit] = []
    /// Each node's kernel state before the first unit, when the run recorded it.
    public var initialStates: [NodeName: NodeState]?
    /// Where this run was itself resumed from, when it was.
    public var resume: ResumePoint?
    /// Why the run stopped, as its `stopping` records say.
    public var stopReasons: [String] = []

    /// Reads a journal. A cut-short last line is a warning; any other unreadable line is an error.
    /// - Throws: `InputErrors` with the line and what is wrong, or when there is no plan record.
    public static func read(path: String) throws(InputErrors) -> RunJournal {
        let location = { (line: Int) in InputLocation(file: path, line: line) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([
                InputError(
                    .unreadable, "cannot read the run journal", at: location(1),
                    hint: "give the journal.jsonl of a run (see the end of its summary)")
            ])
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var journal = RunJournal(
            plan: Plan(title: "", sourceKind: .yaml, sourcePath: "", steps: []), results: [], warnings: [])
        var sawPlan = false
        var errors: [InputError] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                let record = try decoder.decode(RunJournalRecord.self, from: Data(line))
                if let plan = record.plan {
                    journal.plan = plan
                    sawPlan = true
                }
                if let schedule = record.schedule { journal.schedule = schedule }
                if let states = record.initialStates { journal.initialStates = states }
                if let resume = record.resume {
                    journal.resume = resume
                    journal.results += resume.carried
                }
                if record.event == .unitStarted, let unit = record.unit { journal.started.append(unit) }
                if record.event == .stopping, let reason = record.reason { journal.stopReasons.append(reason) }
                if let result = record.result { journal.results.append(result) }
                if let report = record.report { journal.report = report }
            } catch {
                let isLast = lines[(index + 1)...].allSatisfy(\.isEmpty) && data.last != UInt8(ascii: "\n")
                let problem = InputError(
                    .unreadable, isLast ? "the last line is cut short" : "this line is not a journal record: \(error)",
                    at: location(index + 1),
                    hint: isLast
                        ? "the run stopped while writing it; everything before it was read"
                        : "the journal was edited or damaged; only testbed writes it",
                    severity: isLast ? .warning : .error)
                if isLast { journal.warnings.append(problem) } else { errors.append(problem) }
            }
        }
        if !sawPlan {
            errors.append(
                InputError(
                    .missingKey, "the journal has no run_started record with the plan", at: location(1),
                    hint: "give the journal.jsonl of testbed run (a --json stream does not carry the plan)"))
        }
        guard errors.isEmpty else { throw InputErrors(errors + journal.warnings) }
        return journal
    }
}
