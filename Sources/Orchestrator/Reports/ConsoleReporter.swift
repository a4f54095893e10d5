import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// Progress and summary for people: one line per finished step on a terminal (nothing per step otherwise),
/// then a summary with counts, the slowest steps and every failure explained.
public final class ConsoleReporter: RunObserver {
    private let output: Int32
    private let showsProgress: Bool
    private let usesColor: Bool
    private var plan: Plan?
    private var totalSteps = 0
    private var finishedSteps = 0
    private var totalUnits = 0
    private var finishedUnits = 0
    private var startedAt = ContinuousClock.now

    /// - Parameters:
    ///   - output: The descriptor to write to (stdout, or stderr when stdout carries JSON).
    ///   - showsProgress: One line per step; on by default only for a terminal.
    ///   - usesColor: Colour; off for a non-terminal and when `NO_COLOR` is set.
    public init(output: Int32, showsProgress: Bool, usesColor: Bool) {
        self.output = output
        self.showsProgress = showsProgress
        self.usesColor = usesColor
    }

    public func handle(_ event: RunEvent) {
        switch event {
        case .started(let plan, let schedule, let nodes):
            self.plan = plan
            totalSteps = Set(schedule.units.map(\.stepIndex)).count
            totalUnits = schedule.units.count
            startedAt = .now
            if showsProgress {
                write(
                    "running '\(plan.title)' on \(nodes.count) nodes, \(schedule.mode.rawValue) order, \(schedule.units.count) units\n"
                )
            }
        case .unitFinished:
            finishedUnits += 1
        case .stepFinished(let index, let results):
            finishedSteps += 1
            guard showsProgress, let plan else { return }
            write(progressLine(plan.steps[index], results: results) + "\n")
        case .stopping(let reason):
            write(paint("stopping: \(reason); blocks already running finish first\n", "33"))
        case .paused(let index, let milliseconds):
            guard showsProgress, let plan else { return }
            write(
                paint(
                    "… \(plan.steps[index].id): waiting \(milliseconds) ms (a condition would wait only as long as needed)\n",
                    "2"))
        case .finished(let report):
            write(RunSummary(report: report, plan: plan).text(paint: paint))
        default:
            break
        }
    }

    private func progressLine(_ step: Step, results: [UnitResult]) -> String {
        let failed = results.contains { $0.status == .failed }
        let skipped = results.allSatisfy { $0.status == .skipped }
        let mark = failed ? paint("✘", "31") : skipped ? paint("–", "2") : paint("✔", "32")
        let nodes = step.nodes.joined(separator: ",")
        let seconds = results.map(\.seconds).max() ?? 0
        let counter = "[\(finishedSteps)/\(totalSteps)]"
        var line =
            "\(mark) \(counter) \(step.id)  \(step.title.prefix(60))  \(paint(nodes, "36"))  \(RunSummary.format(seconds))"
        if skipped { line += paint("  skipped", "2") }
        if let eta = ProgressEstimate.remaining(
            elapsed: startedAt.secondsSince, finishedUnits: finishedUnits, totalUnits: totalUnits)
        {
            line += paint("  ETA \(ProgressEstimate.format(eta))", "2")
        }
        return line
    }

    private func paint(_ text: String, _ code: String) -> String {
        usesColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// A console that went away (a closed pipe) is no reason to stop the run; its journal keeps the record.
    private func write(_ text: String) {
        try? SystemCall.writeAll(output, Array(text.utf8))
    }
}
