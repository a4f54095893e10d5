import Foundation
import NodeAgentProtocol
public import PlanModel

/// At the end of a run — passed, failed or interrupted — stops every service still running and fetches every
/// service's log into the run directory.
enum ServiceCollector {
    static func finish(
        _ registry: ServiceRegistry, channels: [NodeName: any NodeChannel], runID: String, directory: String
    ) async -> [ServiceOutcome] {
        var outcomes: [ServiceOutcome] = []
        for entry in registry.all {
            guard let channel = channels[entry.node] else { continue }
            var outcome = ServiceOutcome(node: entry.node, name: entry.name, exitStatus: entry.exitStatus)
            outcome.stoppedByStep = entry.stoppedByStep
            if entry.exitStatus == nil {
                let stop = ServiceScript.stop(.term, graceMilliseconds: 5000, name: entry.name, run: runID)
                let stopped = try? await channel.run(.init(script: stop, timeout: .seconds(30)), timeout: .seconds(45))
                let answer = ServiceStatus.stopAnswer(
                    stopped?.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown")
                outcome.exitStatus = answer.status
                // A program that had ended by then ended on its own (a crash while its peers stopped, say).
                outcome.stoppedAtEnd = !answer.already
            }
            let logs = try? await channel.run(
                .init(script: ServiceScript.logs(name: entry.name, run: runID), timeout: .seconds(30)),
                timeout: .seconds(45))
            if let logs {
                let base = "\(directory)/services/\(entry.node)-\(entry.name)"
                try? FileManager.default.createDirectory(
                    atPath: directory + "/services", withIntermediateDirectories: true)
                if FileManager.default.createFile(atPath: base + ".out", contents: Data(logs.stdout)),
                    FileManager.default.createFile(atPath: base + ".err", contents: Data(logs.stderr))
                {
                    outcome.logs = [base + ".out", base + ".err"]
                }
                if outcome.endedBadly {
                    outcome.logTail = ServiceOutcome.tail(logs.stderr, 6) + ServiceOutcome.tail(logs.stdout, 10)
                }
            }
            if outcome.logs.isEmpty { outcome.problem = "its log could not be fetched" }
            outcomes.append(outcome)
        }
        return outcomes
    }
}

/// How a service of the run ended, and where its log is.
public struct ServiceOutcome: Sendable, Hashable, Codable {
    public var node: NodeName
    public var name: ServiceName
    /// The exit status the node recorded, `killed` when only SIGKILL ended it, or `missing`.
    public var exitStatus: String?
    /// True when the run stopped it at its end (it was still running then).
    public var stoppedAtEnd = false
    /// True when a step of the plan stopped it (nil in journals written before it was recorded).
    public var stoppedByStep: Bool?
    /// The log files in the run directory (stdout, stderr).
    public var logs: [String] = []
    /// What went wrong collecting it.
    public var problem: String?
    /// For a service that ended badly: the last lines of its stderr, then of its stdout.
    public var logTail: [String]?

    /// It ended on its own with a status other than 0, or a stop left a status other than a clean end or the
    /// shell's for the signals testbed stops with (130 INT, 143 TERM).
    public var endedBadly: Bool {
        guard let status = exitStatus else { return true }
        return stoppedAtEnd || stoppedByStep == true ? !["0", "130", "143"].contains(status) : status != "0"
    }

    static func tail(_ bytes: [UInt8], _ count: Int) -> [String] {
        String(decoding: bytes.suffix(8192), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .suffix(count).map(String.init)
    }

    /// One line for the summary, e.g. `qspn on beta: exited with status 133 (killed by signal 5, SIGTRAP)`.
    public var summary: String {
        let how = stoppedAtEnd ? "stopped at the end of the run, status" : "exited with status"
        let status = exitStatus ?? "unknown"
        return "\(name) on \(node): \(how) \(status)\(ServiceStatus.signalNote(status))"
            + (logs.first.map { " — log \($0)" } ?? "") + (problem.map { " (\($0))" } ?? "")
    }
}
