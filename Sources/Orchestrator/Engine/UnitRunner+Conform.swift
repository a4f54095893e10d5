import NodeAgentProtocol
import PlanModel

extension UnitRunner {
    /// A conformance check: predict from where the node's last conformance left it, then compare with the
    /// node (everything of every namespace), retried until equal when the check has a retry policy.
    func conform(_ check: ConformCheck, unit: Schedule.Unit, step: Step, on channel: any NodeChannel) async
        -> UnitResult
    {
        guard let tracker else {
            return UnitResult(
                unit: unit, stepID: step.id, kind: .conform, status: .failed,
                message: "a conformance check needs the state model (do not run with --state-check off)")
        }
        if check.rebases, check.documented.isEmpty { return await rebase(check, unit: unit, step: step, on: channel) }
        let base = tracker.conformanceBase(of: check.node)
        let (predicted, problems) = ConformanceJudgement.predict(check, from: base)
        var binding = tracker.conformanceBinding.merging(check.bindings)
        var lastObserved: NodeState?
        let result = await retrying(check.retry) { () async -> UnitResult in
            let observed: NodeState
            do {
                observed = try await StateTracker.observe(channel)
                lastObserved = observed
            } catch {
                return UnitResult(
                    unit: unit, stepID: step.id, kind: .conform, status: .failed,
                    message: "cannot read the state of \(check.node): \(error)")
            }
            let probes = StateProbe.fullDump(
                namespaces: Array(Set(predicted.namespaceNames + observed.namespaceNames)).sorted())
            let attempt = ConformanceJudgement.attempt(
                predicted: predicted, observed: observed, binding: binding, probes: probes)
            binding = attempt.binding
            var result = UnitResult(unit: unit, stepID: step.id, kind: .conform, status: .passed)
            result.stateDifferences = problems + attempt.differences
            if !result.stateDifferences.isEmpty {
                result.status = .failed
                result.message =
                    "\(check.node) does not conform to \(check.source): \(result.stateDifferences.count) difference"
                    + (result.stateDifferences.count == 1 ? "" : "s")
            }
            return result
        }
        let nextBase = check.rebases ? lastObserved.map(binding.unapply(to:)) ?? predicted : predicted
        tracker.recordConformance(of: check.node, predicted: nextBase, binding: binding)
        var judged = result
        if let service = check.commandsOf {
            let lines = await commandDifferences(check, service: service, binding: binding, on: channel)
            judged.stateDifferences += lines
            if !lines.isEmpty, judged.status == .passed {
                judged.status = .failed
                judged.message = "\(check.node) does not conform to \(check.source): the commands differ"
            } else if !lines.isEmpty {
                judged.message = (judged.message ?? "") + "; the commands differ too"
            }
        }
        if judged.status == .failed, check.onDifference == .report, !judged.stateDifferences.isEmpty {
            // The differences are the finding; the verdict stays in the message and the report.
            judged.status = .passed
            judged.message = "finding: " + (judged.message ?? "differences")
        } else if judged.status == .passed {
            let bound = binding.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            judged.message =
                "\(check.node) conforms to \(check.source)"
                + (bound.isEmpty ? "" : " (bound: \(bound.joined(separator: ", ")))")
        }
        return judged
    }

    /// `rebase` with nothing documented: the node as it is becomes the documented starting point, unjudged.
    private func rebase(_ check: ConformCheck, unit: Schedule.Unit, step: Step, on channel: any NodeChannel) async
        -> UnitResult
    {
        guard let tracker else { return UnitResult(unit: unit, stepID: step.id, kind: .conform, status: .failed) }
        var result = UnitResult(unit: unit, stepID: step.id, kind: .conform, status: .passed)
        do {
            let observed = try await StateTracker.observe(channel)
            let binding = tracker.conformanceBinding.merging(check.bindings)
            tracker.recordConformance(of: check.node, predicted: binding.unapply(to: observed), binding: binding)
            result.message =
                "\(check.node) as it is now (\(observed.namespaceNames.count) named namespaces) is the documented starting point"
        } catch {
            result.status = .failed
            result.message = "cannot read the state of \(check.node): \(error)"
        }
        if let service = check.commandsOf {
            // What the service logged so far is not this event's: the next check compares only what follows.
            _ = await commandDifferences(check, service: service, binding: tracker.conformanceBinding, on: channel)
        }
        return result
    }

    /// The documented commands against what the service logged since the node's previous such check.
    private func commandDifferences(
        _ check: ConformCheck, service: ServiceName, binding: ConformanceBinding, on channel: any NodeChannel
    ) async -> [String] {
        let log: NodeResponse.RunResult
        do {
            log = try await channel.run(
                .init(script: ServiceScript.logs(name: service, run: options.runID), timeout: .seconds(30)),
                timeout: .seconds(45))
        } catch {
            return ["commands on \(check.node): the log of \(service) cannot be read: \(error)"]
        }
        let ran = services.uncompared(CommandStreamJudgement.logged(log.stdoutText), of: service, on: check.node)
        let documented = CommandStreamJudgement.documented(check.documented, binding: binding)
        return CommandStreamJudgement.differences(documented: documented, ran: ran, node: check.node)
    }
}
