import PlanModel

extension RunSession {
    /// Observes the nodes, refuses a plan that would cut a remote node's management path, keeps the snapshot
    /// `reset` goes back to, and decides the schedule — or, for a resume, where each node stopped.
    func observeAndDecide(
        _ fleet: Fleet, resolved: NodeTargets, source: ResumeSource?, directory: RunDirectory
    ) async throws -> (tracker: StateTracker, decision: ScheduleDecision, resume: ResumePoint?) {
        // A resume needs the nodes' states (with the sysctls its predictions know) even without state checks;
        // remote and provider nodes are always observed: the management check and `reset` need their state.
        let observes = settings.stateCheck != .off || resolved.isReachedOverNetwork || source != nil
        var clock = ContinuousClock.now
        if source != nil { for line in await AgentQuiesce.wait(fleet.channels) { notices("warning: \(line)") } }
        logger.debug("run: quiesced in \(String(format: "%.3f s", clock.secondsSince))")
        clock = .now
        let tracker = try await StateTracker.observe(
            fleet.channels, mode: observes ? (settings.stateCheck == .off ? .warn : settings.stateCheck) : .off,
            sysctls: source?.predictions.sysctlNames ?? [])
        if resolved.isReachedOverNetwork && !settings.allowManagementChange {
            try await checkManagementPaths(fleet, states: tracker.initialStates)
        }
        logger.debug("run: observed in \(String(format: "%.3f s", clock.secondsSince))")
        clock = .now
        if let source, RunSnapshot.carry(from: source.path, to: directory.path) {
            // `reset` goes back to where the resumed run started, not to the middle of the plan.
        } else if observes {
            try await RunSnapshot.write(
                tracker.initialStates, plan: plan, channels: fleet.channels, directory: directory.path)
        }
        logger.debug("run: snapshot in \(String(format: "%.3f s", clock.secondsSince))")
        let decision: ScheduleDecision
        var resumePoint: ResumePoint?
        if let source {
            (decision, resumePoint) = try locate(source, observed: tracker.initialStates)
        } else {
            decision = try ScheduleDecision.decide(
                settings.schedule, plan: plan, topology: topology, states: tracker.initialStates,
                from: settings.from, to: settings.to)
        }
        return (tracker, decision, resumePoint)
    }
}
