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
    /// The nodes of the run, in the topology's order.
    public var nodes: [NodeName] = []
    public var startedAt: Date?
    /// When each unit started, in seconds since the run started (from `unit_started` records; journals
    /// written before records had `elapsed` give whole seconds of `time`).
    public var unitStarts: [Schedule.Unit: Double] = [:]
    /// Why the run stopped early, in the order said.
    public var stopReasons: [String] = []
    /// Absent in journals written before they were recorded.
    public var topology: Topology?
    public var initialStates: [NodeState] = []
    public var captures: [PacketCaptureFile] = []
    /// Units that started (`unit_started`), in order: with `results`, what was in flight when the run ended.
    public var started: [Schedule.Unit] = []
    /// Where this run was itself resumed from, when it was.
    public var resume: ResumePoint?

    /// Reads a journal. A cut-short last line is a warning; any other unreadable line is an error.
    /// - Throws: `InputErrors` with the line and what is wrong, or when there is no plan record.
    public static func read(path: String) throws(InputErrors) -> RunJournal {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([
                InputError(
                    .unreadable, "cannot read the run journal", at: InputLocation(file: path, line: 1),
                    hint: "give the journal.jsonl of a run (see the end of its summary)")
            ])
        }
        return try read(data: data, path: path)
    }

    /// Reads a journal's bytes; `path` is where they came from, for the errors' locations.
    /// - Throws: `InputErrors`, as `read(path:)`.
    public static func read(data: Data, path: String) throws(InputErrors) -> RunJournal {
        let location = { (line: Int) in InputLocation(file: path, line: line) }
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
                if let stray = journal.strayUnit(in: record) {
                    errors.append(
                        InputError(
                            .unreadable,
                            "this record names \(stray), a unit (or a command of it) that the plan "
                                + "(\(journal.plan.steps.count) steps) does not have",
                            at: location(index + 1), hint: "the journal was edited or damaged; only testbed writes it"))
                    continue
                }
                journal.take(record)
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

    /// A unit of the record (its schedule's, its own, its result's) that is not a step of the plan read so far,
    /// or a block the step does not have: everything after the reader indexes the plan by them.
    private func strayUnit(in record: RunJournalRecord) -> Schedule.Unit? {
        let units =
            (record.schedule?.units ?? []) + [record.unit, record.result?.unit].compactMap { $0 }
            + (record.resume?.carried.map(\.unit) ?? []) + (record.resume?.positions.map(\.unit) ?? [])
        let commands = { (unit: Schedule.Unit) -> Int? in
            guard plan.steps.indices.contains(unit.stepIndex) else { return nil }
            guard let block = unit.blockIndex else { return 0 }
            guard case .blocks(let blocks) = plan.steps[unit.stepIndex].action, blocks.indices.contains(block) else {
                return nil
            }
            return blocks[block].commands.count
        }
        // A resumed block starts at one of its commands (or just past its last).
        let position = record.resume?.positions.first { position in
            commands(position.unit).map { count in !(0...count).contains(position.command) } ?? false
        }
        return units.first { commands($0) == nil } ?? position?.unit
    }

    private mutating func take(_ record: RunJournalRecord) {
        if let schedule = record.schedule { self.schedule = schedule }
        if let result = record.result { results.append(result) }
        if let report = record.report { self.report = report }
        switch record.event {
        case .runStarted:
            startedAt = record.time
            nodes = record.nodes ?? []
            topology = record.topology ?? topology
            initialStates = record.initialStates ?? []
            captures = record.captures ?? []
            if let resume = record.resume {
                self.resume = resume
                results += resume.carried
            }
        case .unitStarted:
            if let unit = record.unit {
                started.append(unit)
                unitStarts[unit] = record.elapsed ?? startedAt.map { record.time.timeIntervalSince($0) } ?? 0
            }
        case .stopping:
            if let reason = record.reason { stopReasons.append(reason) }
        default:
            break
        }
    }
}
