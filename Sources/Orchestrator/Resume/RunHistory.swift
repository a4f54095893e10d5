import Foundation
public import PlanModel

/// The runs kept under `<state root>/runs/<topology name>/`, and which one `--resume` continues.
public enum RunHistory {
    /// The journal to resume: the one named, or the latest run of the same plan (same steps and commands,
    /// wherever the file was named from) on the same lab or cluster.
    /// - Throws: `ResumeRefusal` (`noRun`, `unusableJournal`).
    public static func journal(
        for target: RunSettings.ResumeTarget, plan: Plan, topology: Topology, stateRoot: String
    ) throws(ResumeRefusal) -> String {
        let runs = RunDirectory.runsDirectory(topology: topology.name, stateRoot: stateRoot)
        switch target {
        case .run(let given):
            let candidates = [given, given + "/journal.jsonl", runs + "/" + given + "/journal.jsonl"]
            var isDirectory: ObjCBool = false
            for path in candidates where FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return path }
            }
            throw ResumeRefusal(
                .noRun, "no run journal at '\(given)'",
                hint: "give a run directory, its journal.jsonl, or a directory name under \(runs)")
        case .latest:
            return try latest(of: plan, topology: topology.name, runs: runs)
        }
    }

    /// The newest run of the plan, unless a newer run of the lab stopped before recording its start: that run
    /// (killed while the lab was brought up or observed, say) may have changed the lab, so the older run's
    /// record no longer says where the lab stands — resuming it silently would continue the wrong run.
    ///
    /// Each first record holds the whole plan and every node's first state (a megabyte for the bench
    /// workload), so only its event and time are decoded for every run, and the plan (alone) of the newest
    /// runs until one matches.
    static func latest(of plan: Plan, topology: String, runs: String) throws(ResumeRefusal) -> String {
        let wanted = plan.withoutLocations()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []
        // Start times are kept to the second, so two short runs can share one; runs of a lab never overlap (the
        // run lock), so the journal's last change (to the nanosecond) orders them within it.
        var started: [(date: Date, modified: Date, path: String)] = []
        var unstarted: (date: Date, path: String)?
        let modified = { (path: String) in
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date ?? .distantPast
        }
        let noteUnstarted = { (path: String) in
            let changed = modified(path)
            if unstarted.map({ changed > $0.date }) ?? true { unstarted = (changed, path) }
        }
        for entry in entries {
            let path = runs + "/" + entry + "/journal.jsonl"
            guard let line = firstLine(path), let stamp = startStamp(line) else {
                noteUnstarted(path)
                continue
            }
            started.append((stamp, modified(path), path))
        }
        var best: (date: Date, modified: Date, path: String)?
        // The first lines are read again here rather than kept from above: each can be a megabyte, and
        // usually only the newest run's is decoded a second time.
        for run in started.sorted(by: { ($0.date, $0.modified) > ($1.date, $1.modified) }) {
            guard let line = firstLine(run.path), let started = try? decoder.decode(StartedPlan.self, from: line)
            else {
                noteUnstarted(run.path)
                continue
            }
            if started.plan?.withoutLocations() == wanted {
                best = run
                break
            }
        }
        if let unstarted, best.map({ unstarted.date > $0.modified }) ?? true {
            let directory = (unstarted.path as NSString).deletingLastPathComponent
            let older =
                best.map {
                    " (the newest run of this plan that did start: --resume \(($0.path as NSString).deletingLastPathComponent))"
                } ?? ""
            throw ResumeRefusal(
                .notStarted,
                "the newest run on '\(topology)', \(directory), stopped before it recorded its start: it ran no "
                    + "unit, and the lab may no longer be where an older run left it",
                hint: "run the plan again (on a fresh lab: --fresh), or name the run to continue\(older)")
        }
        guard let best else {
            throw ResumeRefusal(
                .noRun, "no earlier run of this plan on '\(topology)' to resume (looked in \(runs))",
                hint: "run it without --resume, or name the run: --resume RUN")
        }
        return best.path
    }

    /// The first line of a journal, without its newline (nil when the file cannot be read).
    static func firstLine(_ path: String) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var line = Data()
        while let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                line.append(chunk[chunk.startIndex..<newline])
                break
            }
            line.append(chunk)
        }
        return line
    }

    /// Only what tells a started run: the event and the time of a first line.
    private struct StartStamp: Decodable {
        var event: RunJournalRecord.Event
        var time: Date
    }

    /// When the run started, if the line is its `run_started` record.
    static func startStamp(_ line: Data) -> Date? {
        guard let stamp = try? decoder.decode(StartStamp.self, from: line), stamp.event == .runStarted else {
            return nil
        }
        return stamp.time
    }

    /// The plan of a `run_started` record, without the nodes' states and the topology beside it.
    private struct StartedPlan: Decodable {
        var plan: Plan?
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
