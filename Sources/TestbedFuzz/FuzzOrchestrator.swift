import Foundation
import Orchestrator
import PlanModel

/// The parsers of the orchestrator: the known_hosts reader every SSH connection trusts, and the run journal
/// reader `testbed report` and `--resume` use (a journal is written by testbed, but a killed run cuts it short
/// and a user may edit or damage it).
enum FuzzOrchestrator {
    static func knownHosts(_ bytes: [UInt8]) {
        // known_hosts is read lossily, as the store reads the file.
        let violations = KnownHostsInvariants.violations(parsing: String(decoding: bytes, as: UTF8.self))
        if !violations.isEmpty { fatalError("known_hosts: \(violations.joined(separator: "; "))") }
    }

    static func runJournal(_ bytes: [UInt8]) {
        guard let journal = try? RunJournal.read(data: Data(bytes), path: "fuzz/journal.jsonl") else { return }
        // What `--resume` does next with a journal it has read.
        guard let schedule = journal.schedule else { return }
        _ = try? ResumePredictions.make(plan: journal.plan, schedule: schedule, journal: journal)
    }
}
