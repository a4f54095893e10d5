import Foundation
import PlanModel

extension LabBuilder {
    /// Builds an LXD or QEMU lab under the lock `up()` holds, then writes its summary and completes the journal.
    func buildProvider(journal: LabJournal, start: ContinuousClock.Instant) throws(LabError) -> LabSummary {
        let summary: LabSummary
        switch topology.labProvider.kind {
        case .lxd:
            summary = try LXDLabBuilder(topology: topology, paths: paths, logger: logger)
                .build(journal: journal, labID: labID, start: start)
        case .qemu:
            summary = try QEMULabBuilder(topology: topology, paths: paths, logger: logger)
                .build(journal: journal, labID: labID, start: start)
        case .namespaces:
            return try build(journal: journal, start: start)
        }
        try summary.write(paths)
        journal.recordComplete()
        try journal.commit()
        return summary
    }
}
