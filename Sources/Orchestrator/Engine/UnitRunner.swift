import Foundation
import NodeAgentProtocol
import PlanModel

/// Runs one unit (a block, a reach check or an expect check) on its node and has it judged.
///
/// The I/O is here and only here: the request is built, sent through the node's channel, and the answer
/// handed to the pure judgements in `Checks/`.
struct UnitRunner: Sendable {
    let plan: Plan
    let options: RunOptions
    let tracker: StateTracker?
    let stop: StopSignal
    let services: ServiceRegistry
    /// For a resumed run: the command each resumed block starts at (its earlier commands ran before).
    var startCommands: [Schedule.Unit: Int] = [:]
    /// For a resumed run: why each resumed unit starts where it does.
    var resumeNotes: [Schedule.Unit: String] = [:]
    /// Makes the plan's fault steps happen (nil: a run that cannot inject faults).
    var faults: FaultInjector?
    /// Every node's channel, for asking each hop's kernel when a reach check fails.
    var channels: [NodeName: any NodeChannel] = [:]

    /// How long a request may take beyond the block's own timeout before the agent is given up on.
    static let transportSlack: Duration = .seconds(15)

    func execute(_ unit: Schedule.Unit, on channel: any NodeChannel) async -> UnitResult {
        let step = plan.steps[unit.stepIndex]
        let start = ContinuousClock.now
        if let crashed = await watchServices(on: channel, unit: unit, step: step) { return crashed }
        // Crash points for the resume tests: before the unit is sent, and once its answer is back.
        FaultInjection.checkpoint("unit-sent:\(step.id):\(unit.node)")
        defer { FaultInjection.checkpoint("unit-returned:\(step.id):\(unit.node)") }
        var result: UnitResult
        switch step.action {
        case .blocks(let blocks):
            let block = blocks[unit.blockIndex ?? 0].resumed(atCommand: startCommands[unit] ?? 0)
            result = await runBlock(block, unit: unit, step: step, on: channel)
        case .reach(let check):
            result = await retrying(check.retry) { await reach(check, unit: unit, step: step, on: channel) }
            if result.status == .failed { result.explanation = await explain(check, result: result) }
        case .expect(let check):
            result = await retrying(check.retry) { await expect(check, unit: unit, step: step, on: channel) }
        case .service(let service):
            result = await self.service(service, unit: unit, step: step, on: channel)
        case .conform(let check):
            result = await conform(check, unit: unit, step: step, on: channel)
        case .fault(let fault):
            result = await self.fault(fault, unit: unit, step: step)
        case .wait:
            result = UnitResult(unit: unit, stepID: step.id, kind: .block, status: .passed)
        }
        result.seconds = start.secondsSince
        if let note = resumeNotes[unit] { result.resume = note }
        return result
    }

    private var timeout: Duration { options.blockTimeout + Self.transportSlack }

    func retrying(_ policy: RetryPolicy?, _ attempt: () async -> UnitResult) async -> UnitResult {
        guard let policy else { return await attempt() }
        return await RetryLoop(policy: policy, stop: stop).run(attempt)
    }

    private func runBlock(_ block: NodeBlock, unit: Schedule.Unit, step: Step, on channel: any NodeChannel) async
        -> UnitResult
    {
        guard !block.commands.isEmpty else {
            return UnitResult(unit: unit, stepID: step.id, kind: .block, status: .passed, message: "no commands")
        }
        let compiled = options.batching ? BlockCompiler().compile(block.lines.map(\.text)) : nil
        var timing = UnitTiming()
        var clock = ContinuousClock.now
        // A node with a program running changes on its own: its blocks are judged by their exit status, and
        // conformance checks compare its state (the model would mistake the program's changes for the block's).
        let modelled = services.running(on: block.node).isEmpty
        let before = tracker.flatMap { $0.mode == .off || !modelled ? nil : $0.state(of: block.node) }
        let prediction = before.map { StateModel.predict(block: block, from: $0) }
        var request = NodeRequest.RunRequest(
            script: compiled?.script ?? block.script, netns: block.netns, timeout: options.blockTimeout,
            stopAtFirstFailure: true, stateQueries: prediction.map { StateProbe.queries($0.probes) } ?? [])
        request.outputFiles = outputFiles(of: unit, step: step)
        timing.prediction = clock.secondsSince
        timing.stateQueries = request.stateQueries.count
        timing.stateQueryKinds = request.stateQueries.reduce(into: [:]) { $0[$1.benchLabel, default: 0] += 1 }
        clock = .now
        let run: NodeResponse.RunResult
        do {
            run = try await channel.run(request, timeout: timeout)
        } catch {
            return failure(error, kind: .block, unit: unit, step: step, channel: channel)
        }
        timing.roundTrip = clock.secondsSince
        clock = .now
        var result = BlockJudgement.judge(
            block, unit: unit, stepID: step.id, run: run, compiled: compiled, blockTimeout: options.blockTimeout)
        if let before, let prediction, let tracker {
            let judgement = StateJudgement.judge(
                block, before: before, prediction: prediction, run: run,
                failedLine: result.failingCommand?.firstLine, passed: result.status == .passed)
            tracker.update(block.node, to: judgement.nextState)
            tracker.provenance.record(block, from: before)
            judgement.apply(to: &result, mode: tracker.mode)
            result.stateChanges = StateChange.between(before, judgement.nextState)
        }
        timing.judgement = clock.secondsSince
        result.timing = timing
        OutputFiles(directory: options.outputDirectory).keep(run, of: unit, in: &result)
        return result
    }

    /// The run directory's `OutputFiles` paths, where the agent client writes a long stdout/stderr as it arrives.
    private func outputFiles(of unit: Schedule.Unit, step: Step) -> NodeRequest.OutputFiles? {
        guard let directory = options.outputDirectory else { return nil }
        return NodeRequest.OutputFiles(
            stdout: directory + "/" + OutputFiles.name(of: unit, stream: "stdout"),
            stderr: directory + "/" + OutputFiles.name(of: unit, stream: "stderr"),
            threshold: UnitResult.tailLimit, tailLimit: 65_536)
    }

    private func reach(_ check: ReachCheck, unit: Schedule.Unit, step: Step, on channel: any NodeChannel) async
        -> UnitResult
    {
        let request = NodeRequest.PingRequest(
            addresses: check.targets.map(\.description), netns: check.netns, count: check.count,
            timeout: .milliseconds(check.timeoutMilliseconds))
        let start = ContinuousClock.now
        do {
            let ping = try await channel.ping(request, timeout: timeout)
            var timing = UnitTiming()
            timing.roundTrip = start.secondsSince
            var result = ReachJudgement.judge(check, unit: unit, stepID: step.id, ping: ping)
            result.timing = timing
            return result
        } catch {
            return failure(error, kind: .reach, unit: unit, step: step, channel: channel)
        }
    }

    func expect(_ check: ExpectCheck, unit: Schedule.Unit, step: Step, on channel: any NodeChannel) async
        -> UnitResult
    {
        let request = NodeRequest.RunRequest(
            script: check.block.script, netns: check.block.netns, timeout: options.blockTimeout,
            stopAtFirstFailure: false)
        do {
            let run = try await channel.run(request, timeout: timeout)
            var result = ExpectJudgement.judge(check, unit: unit, stepID: step.id, run: run)
            OutputFiles(directory: options.outputDirectory).keep(run, of: unit, in: &result)
            return result
        } catch {
            return failure(error, kind: .expect, unit: unit, step: step, channel: channel)
        }
    }

    /// A unit whose node could not be asked: the first lines of the error, and whether the agent is replaced.
    func failure(
        _ error: NodeError, kind: UnitResult.Kind, unit: Schedule.Unit, step: Step, channel: any NodeChannel
    ) -> UnitResult {
        var message = error.description.split(separator: "\n").prefix(2).joined(separator: " — ")
        // A timed-out, dead or out-of-step agent is not reused: the next unit on this node gets a new one.
        if case .agent(let agentError) = error.kind, !agentError.leavesConnectionUsable {
            message += " — the agent on \(channel.name) is replaced for the node's next block"
        }
        return UnitResult(unit: unit, stepID: step.id, kind: kind, status: .failed, message: message)
    }
}
