public import Foundation
import NodeAgentProtocol
public import PlanModel

/// The state of every node at the first connect of a run, kept in the run directory as `initial-state.json`
/// (beside `journal.jsonl`) so `testbed reset` can put the nodes back: the state model's view of each node, with
/// the values of the sysctls the plan sets read before it sets them.
public struct RunSnapshot: Sendable, Codable {
    public var runID: String
    public var createdAt: Date
    public var states: [NodeName: NodeState]

    public static let fileName = "initial-state.json"

    /// Reads the sysctls the plan sets on each node and writes the snapshot.
    /// - Throws: `SessionError.journalUnwritable` when the file cannot be written; `NodeError` from the nodes.
    static func write(
        _ states: [NodeName: NodeState], plan: Plan, channels: [NodeName: any NodeChannel], directory: String
    ) async throws {
        var snapshot = RunSnapshot(
            runID: (directory as NSString).lastPathComponent, createdAt: Date(), states: states)
        for (name, channel) in channels {
            guard let state = states[name] else { continue }
            let names = StateProbe.sysctlsSet(by: plan, node: name, from: state)
            guard !names.isEmpty else { continue }
            let probe = StateProbe(.sysctl(names), namespace: nil)
            let request = NodeRequest.run(
                .init(script: "true", timeout: .seconds(30), stateQueries: StateProbe.queries([probe])))
            let responses = try await channel.send([request], timeout: .seconds(45))
            guard case .run(let result)? = responses.first, let output = result.stateOutputs.first else { continue }
            let values = try SysctlOutputParser.parse(output.text, query: output.query.description)
            snapshot.states[name]?.namespaces[""]?.sysctls.merge(values) { $1 }
        }
        let path = directory + "/" + fileName
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(snapshot).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SessionError.journalUnwritable(path, cause: "\(error)")
        }
    }

    /// For a resumed run: the snapshot of the run it continues, copied into its directory, since the nodes'
    /// first state is that run's (the state now is mid-plan). False when that run kept none.
    static func carry(from journalPath: String, to directory: String) -> Bool {
        let source = (journalPath as NSString).deletingLastPathComponent + "/" + fileName
        guard FileManager.default.fileExists(atPath: source) else { return false }
        return (try? FileManager.default.copyItem(atPath: source, toPath: directory + "/" + fileName)) != nil
    }

    /// The snapshot of the newest run of a topology that has one.
    /// - Throws: `SessionError.noRun` when there is none.
    public static func latest(topology name: String, stateRoot: String) throws -> (RunSnapshot, directory: String) {
        let runs = RunDirectory.runsDirectory(topology: name, stateRoot: stateRoot)
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted().reversed()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        for entry in entries {
            let path = runs + "/" + entry + "/" + fileName
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                return (try decoder.decode(RunSnapshot.self, from: data), runs + "/" + entry)
            } catch {
                throw SessionError(
                    code: .noRun, message: "the state kept by the last run (\(path)) cannot be read",
                    hint: "run the plan again, then reset", cause: "\(error)")
            }
        }
        throw SessionError(
            code: .noRun, message: "no run of '\(name)' kept its nodes' first state under \(runs)",
            hint: "reset puts nodes back to the state of the last run's first connect: run a plan first")
    }
}
