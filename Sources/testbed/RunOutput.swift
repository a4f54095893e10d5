import ArgumentParser
import Logging
import Orchestrator
import PlanModel

/// What `run` and `replay` print around the run session, and the exit code of its outcome.
struct RunOutput {
    let flags: RunFlags

    /// Runs `plan` through the session; returns normally only when everything passed.
    /// - Throws: `ExitCode` 1 (a unit failed), 130 (interrupted); the session's errors as they are.
    func run(
        _ plan: Plan, topology: Topology, fresh: Bool, resume: RunSettings.ResumeTarget? = nil, logger: Logger
    ) async throws {
        SignalSetup.ignoreSIGPIPE()
        var settings = flags.settings(fresh: fresh)
        settings.resume = resume
        var session = RunSession(topology: topology, plan: plan, settings: settings, logger: logger)
        if flags.dryRun {
            let choice = try session.preview()
            Terminal.standardOutput.write(choice.note + "\n" + ScheduleReport.text(choice.schedule, plan: plan))
            return
        }
        session.notices = { Terminal.standardError.write($0 + "\n") }
        let console = flags.json ? Terminal.standardError : Terminal.standardOutput
        var observers: [any RunObserver] = [
            ConsoleReporter(output: console.fd, showsProgress: console.isTTY, usesColor: console.usesColor)
        ]
        if flags.json { observers.append(JSONLinesReporter(descriptor: 1)) }
        let stop = StopSignal()
        let inFlight = InFlightUnits()
        observers.append(inFlight)
        let interrupts = InterruptHandler(stop: stop, inFlight: inFlight)
        let report = try await session.run(observers: observers, stop: stop)
        withExtendedLifetime(interrupts) {}
        if report.journalFailure != nil { throw ExitCode(ExitCodes.failed) }
        if report.interrupted { throw ExitCode(ExitCodes.interrupted) }
        if !report.succeeded { throw ExitCode(ExitCodes.failed) }
    }
}
