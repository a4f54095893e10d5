import Foundation
import NodeAgentProtocol
import PlanModel

/// Runs one unit (a block, a reach check or an expect check) on its node and judges the result.
struct UnitExecutor: Sendable {
    let plan: Plan
    let options: RunOptions
    let tracker: StateTracker?

    func execute(_ unit: Schedule.Unit, on connection: NodeConnection) async -> UnitResult {
        let step = plan.steps[unit.stepIndex]
        let start = ContinuousClock.now
        var result: UnitResult
        switch step.action {
        case .blocks(let blocks):
            result = await runBlock(blocks[unit.blockIndex ?? 0], unit: unit, step: step, on: connection)
        case .reach(let check):
            result = await reach(check, unit: unit, step: step, on: connection)
        case .expect(let check):
            result = await expect(check, unit: unit, step: step, on: connection)
        }
        result.seconds = (ContinuousClock.now - start).seconds
        return result
    }

    private func runRequest(_ block: NodeBlock, script: String? = nil) -> NodeRequest.RunRequest {
        NodeRequest.RunRequest(
            script: script ?? block.script, netns: block.netns, timeout: options.blockTimeout, stopAtFirstFailure: true)
    }

    private func runBlock(_ block: NodeBlock, unit: Schedule.Unit, step: Step, on connection: NodeConnection) async
        -> UnitResult
    {
        guard !block.commands.isEmpty else {
            return UnitResult(unit: unit, stepID: step.id, kind: .block, status: .passed, message: "no commands")
        }
        let compiled = options.batching ? BlockCompiler().compile(block.lines.map(\.text)) : nil
        let before = tracker?.mode == .off ? nil : tracker?.state(of: block.node)
        let prediction = before.map { StateModel.predict(block: block, from: $0) }
        var request = runRequest(block, script: compiled?.script)
        request.stateQueries = prediction.map { StateProbe.queries($0.probes) } ?? []
        let run: NodeResponse.RunResult
        do {
            run = try await sendRun(request, on: connection)
        } catch {
            return UnitResult(unit: unit, stepID: step.id, kind: .block, status: .failed, message: error.message)
        }
        var result = UnitResult(
            unit: unit, stepID: step.id, kind: .block, status: run.exitStatus == 0 && !run.timedOut ? .passed : .failed,
            remoteSeconds: run.duration.seconds, exitStatus: run.exitStatus, timedOut: run.timedOut,
            stdout: run.stdout, stderr: run.stderr)
        if result.status == .failed {
            if run.timedOut {
                result.message = "stopped after the block timeout of \(options.blockTimeout.seconds) s"
            } else if let reported = run.failedLine,
                let attribution = compiled.map({
                    $0.originalLine(forCompiledLine: reported, stderr: String(decoding: run.stderr, as: UTF8.self))
                })
                    ?? CompiledBlock.Attribution(line: reported, exact: true, inBatch: false),
                let command = block.command(atScriptLine: attribution.line)
            {
                result.failingCommand = command
                result.exitStatus = run.failedStatus ?? run.exitStatus
                let status = result.exitStatus ?? run.exitStatus
                let what = "`\(command.text)` (\(command.location.fileAndLine))"
                if let range = attribution.range {
                    result.message =
                        "one of lines \(range.lowerBound)–\(range.upperBound) of the block, run together by ip -batch, "
                        + "failed (ip -batch status \(status); ip did not say which)"
                } else if attribution.inBatch {
                    result.message =
                        "\(what) failed (ip -batch status \(status)\(attribution.exact ? "" : "; line inferred from ip's message"))"
                } else {
                    result.message = "\(what) exited with status \(status)"
                }
            } else {
                result.message = "the block ended with status \(run.exitStatus)"
            }
        }
        if let before, let prediction, let tracker {
            checkState(of: block, before: before, prediction: prediction, run: run, result: &result, tracker: tracker)
        }
        return result
    }

    /// Compares the node's state after the block with the model's prediction (re-made from the line where the
    /// block really stopped), records the differences, and continues the model from what the node reported.
    private func checkState(
        of block: NodeBlock, before: NodeState, prediction: BlockPrediction, run: NodeResponse.RunResult,
        result: inout UnitResult, tracker: StateTracker
    ) {
        let failedLine = result.failingCommand?.firstLine
        var expected = prediction
        var differences: [String] = []
        if let failedLine {
            expected = StateModel.predict(block: block, from: before, failedLine: failedLine)
        } else if result.status == .passed, let failure = prediction.evaluation.failure,
            case .failure(let why) = failure.outcome
        {
            differences.append(
                "the model expected `\(failure.command.text)` (\(failure.command.location.fileAndLine)) to fail (\(why.reason)), but it succeeded"
            )
        }
        result.notModelled = expected.evaluation.notModelled.map {
            "\($0.command.location.fileAndLine): \($0.command.text)"
        }
        do {
            let observed = try ObservedState.parse(
                run.stateOutputs, node: block.node, rtTables: expected.after.rtTables)
            if !run.timedOut {
                differences += StateComparison.differences(
                    predicted: expected.after, observed: observed, probes: prediction.probes
                )
                .map(\.description)
            }
            tracker.update(block.node, to: expected.after.adopting(observed, probes: prediction.probes))
        } catch {
            differences.append("cannot read the node's state: \(error)")
            tracker.update(block.node, to: expected.after)
        }
        guard !differences.isEmpty else { return }
        result.stateDifferences = differences
        if tracker.mode == .fail && result.status == .passed {
            result.status = .failed
            result.message =
                "the kernel state after the block differs from the model (\(differences.count) difference\(differences.count == 1 ? "" : "s"))"
        }
    }

    private func reach(_ check: ReachCheck, unit: Schedule.Unit, step: Step, on connection: NodeConnection) async
        -> UnitResult
    {
        let request = NodeRequest.PingRequest(
            addresses: check.targets.map(\.description), netns: check.netns, count: check.count,
            timeout: .milliseconds(check.timeoutMilliseconds))
        let ping: NodeResponse.PingResult
        do {
            ping = try await sendPing(request, on: connection)
        } catch {
            return UnitResult(unit: unit, stepID: step.id, kind: .reach, status: .failed, message: error.message)
        }
        let outcomes = ping.targets.map {
            PingOutcome(
                address: $0.address, reachable: $0.isReachable, averageMilliseconds: $0.averageRoundTrip?.milliseconds)
        }
        let wrong = outcomes.filter { $0.reachable != (check.expectation == .reachable) }.map(\.address)
        var result = UnitResult(
            unit: unit, stepID: step.id, kind: .reach, status: wrong.isEmpty ? .passed : .failed, pings: outcomes)
        if !wrong.isEmpty {
            result.message =
                check.expectation == .reachable
                ? "from \(check.node)\(check.netns.map { " (netns \($0))" } ?? ""): no answer from \(wrong.joined(separator: ", "))"
                : "from \(check.node): \(wrong.joined(separator: ", ")) answered, but the check expects no answer"
        }
        return result
    }

    private func expect(_ check: ExpectCheck, unit: Schedule.Unit, step: Step, on connection: NodeConnection) async
        -> UnitResult
    {
        var request = runRequest(check.block)
        request.stopAtFirstFailure = false
        let run: NodeResponse.RunResult
        do {
            run = try await sendRun(request, on: connection)
        } catch {
            return UnitResult(unit: unit, stepID: step.id, kind: .expect, status: .failed, message: error.message)
        }
        let stdout = String(decoding: run.stdout, as: UTF8.self)
        var problems: [String] = []
        if run.exitStatus != check.status { problems.append("status \(run.exitStatus), expected \(check.status)") }
        for text in check.stdoutContains where !stdout.contains(text) { problems.append("stdout lacks '\(text)'") }
        for text in check.stdoutExcludes where stdout.contains(text) { problems.append("stdout contains '\(text)'") }
        if let pattern = check.stdoutMatches, let regex = try? Regex(pattern), stdout.firstMatch(of: regex) == nil {
            problems.append("stdout does not match /\(pattern)/")
        }
        return UnitResult(
            unit: unit, stepID: step.id, kind: .expect, status: problems.isEmpty ? .passed : .failed,
            remoteSeconds: run.duration.seconds, exitStatus: run.exitStatus, timedOut: run.timedOut,
            message: problems.isEmpty ? nil : problems.joined(separator: "; "), stdout: run.stdout, stderr: run.stderr)
    }

    private func sendRun(_ request: NodeRequest.RunRequest, on connection: NodeConnection) async throws(UnitFailure)
        -> NodeResponse.RunResult
    {
        switch try await send(.run(request), on: connection) {
        case .run(let result): return result
        case let other: throw unexpected(other, on: connection)
        }
    }

    private func sendPing(_ request: NodeRequest.PingRequest, on connection: NodeConnection) async throws(UnitFailure)
        -> NodeResponse.PingResult
    {
        switch try await send(.ping(request), on: connection) {
        case .ping(let result): return result
        case let other: throw unexpected(other, on: connection)
        }
    }

    private func send(_ request: NodeRequest, on connection: NodeConnection) async throws(UnitFailure) -> NodeResponse {
        do {
            let responses = try await connection.send([request], timeout: options.blockTimeout + .seconds(15))
            guard let response = responses.first else {
                throw UnitFailure(message: "no answer from \(connection.name)")
            }
            return response
        } catch let error as NodeError {
            var message = "\(error)".split(separator: "\n").prefix(2).joined(separator: " — ")
            // A timed-out, dead or out-of-step agent is not reused: the next block on this node gets a new one.
            if case .agent(let agentError) = error.kind, !agentError.leavesConnectionUsable {
                message += " — the agent on \(connection.name) is replaced for the node's next block"
            }
            throw UnitFailure(message: message)
        } catch {
            throw UnitFailure(message: "\(error)".split(separator: "\n").prefix(2).joined(separator: " — "))
        }
    }

    private func unexpected(_ response: NodeResponse, on connection: NodeConnection) -> UnitFailure {
        if case .failure(let message) = response {
            return UnitFailure(message: "the agent on \(connection.name) refused: \(message)")
        }
        return UnitFailure(message: "unexpected answer from the agent on \(connection.name)")
    }
}

struct UnitFailure: Error {
    let message: String
}
