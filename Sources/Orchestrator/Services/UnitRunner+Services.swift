import NodeAgentProtocol
import PlanModel

extension UnitRunner {
    /// Runs a service step: start (then its readiness check), signal, input, or stop.
    func service(_ service: ServiceStep, unit: Schedule.Unit, step: Step, on channel: any NodeChannel) async
        -> UnitResult
    {
        let run = options.runID
        if case .start = service.action, let tracker, !tracker.hasConformanceBase(service.node) {
            // What the documentation's events start from: the node as it is right before its program starts.
            if let observed = try? await StateTracker.observe(channel) {
                tracker.recordConformance(of: service.node, predicted: observed, binding: tracker.conformanceBinding)
            }
        }
        let script: String
        switch service.action {
        case .start(let command, let environment, _):
            script = ServiceScript.start(service, command: command, environment: environment, run: run)
        case .stop(let signal, let grace):
            script = ServiceScript.stop(signal, graceMilliseconds: grace, name: service.name, run: run)
        case .signal(let signal):
            script = ServiceScript.signal(signal, name: service.name, run: run)
        case .input(let text):
            script = ServiceScript.input(text, name: service.name, run: run)
        }
        let outcome: NodeResponse.RunResult
        do {
            outcome = try await channel.run(
                NodeRequest.RunRequest(script: script, timeout: options.blockTimeout, stopAtFirstFailure: true),
                timeout: options.blockTimeout + Self.transportSlack)
        } catch {
            return failure(error, kind: .service, unit: unit, step: step, channel: channel)
        }
        var result = UnitResult(
            unit: unit, stepID: step.id, kind: .service, status: outcome.isSuccess ? .passed : .failed,
            remoteSeconds: outcome.duration.seconds, exitStatus: outcome.exitStatus, timedOut: outcome.timedOut,
            stdout: outcome.stdout, stderr: outcome.stderr)
        let said = outcome.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == .passed else {
            let why = outcome.stderrText.split(separator: "\n").last.map(String.init) ?? "status \(outcome.exitStatus)"
            result.message = "service \(service.name) on \(service.node): \(why)"
            return result
        }
        // The program changes the node on its own: the model stops predicting it (conformance checks compare).
        if let tracker, var state = tracker.state(of: service.node) {
            state.forgetEverything()
            tracker.update(service.node, to: state)
        }
        switch service.action {
        case .start(_, _, let ready):
            services.started(service.name, on: service.node, pid: Int32(said))
            result.message = "started \(service.name) (pid \(said))"
            if let ready {
                var readiness = await retrying(ready.retry) { await expect(ready, unit: unit, step: step, on: channel) }
                readiness.kind = .service
                if readiness.status == .failed {
                    readiness.message = "service \(service.name) did not become ready: \(readiness.message ?? "")"
                } else {
                    readiness.message = "started \(service.name) (pid \(said)); ready"
                }
                return readiness
            }
        case .stop:
            let (status, already) = ServiceStatus.stopAnswer(said)
            services.ended(service.name, on: service.node, status: status, byStep: !already)
            result.message =
                already
                ? "\(service.name) had already ended with status \(status)\(ServiceStatus.signalNote(status))"
                : "stopped \(service.name) (\(status == "killed" ? "killed after the grace period" : "status \(status)"))"
        case .signal(let signal):
            result.message = "sent \(signal.rawValue) to \(service.name)"
        case .input:
            result.message = "wrote to the input of \(service.name)"
        }
        return result
    }

    /// Before any unit on a node with services: a service that exited on its own fails the unit, with its exit
    /// status and the tail of its log. Nil when all are running (or the node has none).
    func watchServices(on channel: any NodeChannel, unit: Schedule.Unit, step: Step) async -> UnitResult? {
        let names = services.running(on: channel.name)
        guard !names.isEmpty else { return nil }
        let status: NodeResponse.RunResult
        do {
            status = try await channel.run(
                NodeRequest.RunRequest(script: ServiceScript.status(names, run: options.runID), timeout: .seconds(10)),
                timeout: .seconds(10) + Self.transportSlack)
        } catch {
            return failure(error, kind: .service, unit: unit, step: step, channel: channel)
        }
        var ended: [String] = []
        var tails: [String] = []
        for line in status.stdoutText.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard words.count >= 2, let name = ServiceName(words[0]) else { continue }
            switch words[1] {
            case "exited":
                let code = words.count > 2 ? words[2] : "?"
                services.ended(name, on: channel.name, status: code)
                ended.append("\(name) exited with status \(code)\(ServiceStatus.signalNote(code))")
            case "missing":
                services.ended(name, on: channel.name, status: "missing")
                ended.append("\(name) is gone (no status was recorded)")
            case "err:", "out:":
                tails.append(String(line))
            default:
                continue
            }
        }
        guard !ended.isEmpty else { return nil }
        var result = UnitResult(
            unit: unit, stepID: step.id, kind: ExecutionEngine.kind(of: step), status: .failed,
            stderr: Array(tails.joined(separator: "\n").utf8))
        result.message = "on \(channel.name), service " + ended.joined(separator: "; ") + " before this step"
        return result
    }
}

/// Reading a service's exit status.
enum ServiceStatus {
    /// The stop script's answer: the status, and whether the program had ended before it was signalled.
    static func stopAnswer(_ text: String) -> (status: String, already: Bool) {
        let words = text.split(separator: " ").map(String.init)
        return (words.first ?? "unknown", words.count > 1 && words[1] == "already")
    }

    /// ` (signal N, SIGNAME)` for a status above 128, the shell's way of saying a signal ended it.
    static func signalNote(_ status: String) -> String {
        guard let value = Int(status), value > 128, value < 160 else { return "" }
        let number = Int32(value - 128)
        return " (killed by signal \(number)\(SignalNames.name(of: number).map { ", SIG\($0)" } ?? ""))"
    }
}
