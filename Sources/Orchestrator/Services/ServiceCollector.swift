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
            if entry.exitStatus == nil {
                let stop = ServiceScript.stop(.term, graceMilliseconds: 5000, name: entry.name, run: runID)
                let stopped = try? await channel.run(.init(script: stop, timeout: .seconds(30)), timeout: .seconds(45))
                outcome.exitStatus = stopped?.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
                outcome.stoppedAtEnd = true
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
    /// The log files in the run directory (stdout, stderr).
    public var logs: [String] = []
    /// What went wrong collecting it.
    public var problem: String?

    /// One line for the summary, e.g. `qspn on beta: exited with status 133 (killed by signal 5, SIGTRAP)`.
    public var summary: String {
        let how = stoppedAtEnd ? "stopped at the end of the run, status" : "exited with status"
        let status = exitStatus ?? "unknown"
        return "\(name) on \(node): \(how) \(status)\(ServiceStatus.signalNote(status))"
            + (logs.first.map { " — log \($0)" } ?? "") + (problem.map { " (\($0))" } ?? "")
    }
}
