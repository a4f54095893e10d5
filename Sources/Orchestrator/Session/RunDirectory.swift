import Foundation
public import PlanModel

/// The directory of one run and its journal, created before anything else happens, so a run that cannot
/// keep its record never starts.
public struct RunDirectory: Sendable {
    public let path: String
    public var journalPath: String { path + "/journal.jsonl" }
    /// The run's name on the nodes (its services' directory): the directory's name, made safe.
    public var id: String {
        let name = (path as NSString).lastPathComponent
        let safe = String(name.unicodeScalars.filter { Names.isASCIIAlphanumeric($0) || $0 == "-" || $0 == "_" })
        return safe.isEmpty ? "run" : safe
    }

    /// Runs of a topology are kept under `<stateRoot>/runs/<topology name>/`, one directory per run, named by
    /// time and a random suffix, so `lab down` never takes them away.
    public static func runsDirectory(topology name: String, stateRoot: String) -> String {
        "\(stateRoot)/runs/\(name)"
    }

    /// Creates the run's directory (the given one, or a new one) and its journal.
    /// - Throws: `SessionError` (`.journalUnwritable`) naming the path and the system's reason.
    /// - Parameters:
    ///   - stop: Asked to stop the run if the journal later cannot be written (a full disk, say).
    public static func create(for topology: Topology, settings: RunSettings, stop: StopSignal) throws(SessionError)
        -> (RunDirectory, JSONLinesReporter)
    {
        let path: String
        if let given = settings.runDirectory {
            path = given
        } else {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            let id = "\(stamp)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
            path = runsDirectory(topology: topology.name, stateRoot: settings.stateRoot) + "/" + id
        }
        let directory = RunDirectory(path: path)
        do {
            try FileManager.default.createDirectory(atPath: path + "/output", withIntermediateDirectories: true)
        } catch {
            throw SessionError.journalUnwritable(directory.journalPath, cause: "\(error.localizedDescription)")
        }
        do {
            return (directory, try JSONLinesReporter(journalPath: directory.journalPath, stopOnFailure: stop))
        } catch {
            throw SessionError.journalUnwritable(directory.journalPath, cause: error.reason)
        }
    }

    /// Removes what `create` made when the run was refused before it recorded its start (an empty journal, an
    /// empty output directory, and the directory itself when testbed named it), so that a later `--resume` does
    /// not find a run that never started. Anything with content is kept.
    func discardIfUnstarted(namedByTestbed: Bool) {
        let manager = FileManager.default
        let size = (try? manager.attributesOfItem(atPath: journalPath))?[.size] as? Int
        guard size == 0 else { return }
        try? manager.removeItem(atPath: journalPath)
        if (try? manager.contentsOfDirectory(atPath: path + "/output"))?.isEmpty == true {
            try? manager.removeItem(atPath: path + "/output")
        }
        if namedByTestbed, (try? manager.contentsOfDirectory(atPath: path))?.isEmpty == true {
            try? manager.removeItem(atPath: path)
        }
    }
}
