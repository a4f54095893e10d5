import Foundation
import NodeAgentProtocol
import PlanModel

/// Keeps a unit's whole stdout and stderr in the run directory when they are longer than the tails its
/// result carries, so a report can link them (names relative to the run directory). Best effort: a file that cannot be written is simply not linked.
struct OutputFiles: Sendable {
    let directory: String?

    static let folder = "output"

    /// `output/3-1-beta.stdout` (step and block numbers from 1; 0 for a check).
    static func name(of unit: Schedule.Unit, stream: String) -> String {
        "\(folder)/\(unit.stepIndex + 1)-\(unit.blockIndex.map { $0 + 1 } ?? 0)-\(unit.node).\(stream)"
    }

    func keep(_ run: NodeResponse.RunResult, of unit: Schedule.Unit, in result: inout UnitResult) {
        guard let directory else { return }
        // A section the agent client already spilled there as it arrived is whole on disk; `run` has its tail.
        let stdout = Self.name(of: unit, stream: "stdout")
        let stderr = Self.name(of: unit, stream: "stderr")
        result.stdoutFile = run.stdoutByteCount != nil ? stdout : write(run.stdout, name: stdout, under: directory)
        result.stderrFile = run.stderrByteCount != nil ? stderr : write(run.stderr, name: stderr, under: directory)
    }

    private func write(_ bytes: [UInt8], name: String, under directory: String) -> String? {
        guard bytes.count > UnitResult.tailLimit else { return nil }
        let path = directory + "/" + name
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return FileManager.default.createFile(atPath: path, contents: Data(bytes)) ? name : nil
    }
}
