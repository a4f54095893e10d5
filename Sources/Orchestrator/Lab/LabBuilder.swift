import Foundation
public import Logging
public import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// Builds a local lab for a topology: one process per node in new network + mount + UTS namespaces,
/// one switch namespace holding a bridge per segment, veth pairs between them, and SSH access through
/// `sshd -i` entered with `nsenter`.
///
/// Every object is written to the journal before it is created. If any step fails, everything created so
/// far is torn down again, so a failed `lab up` leaves nothing behind.
public struct LabBuilder {
    public let topology: Topology
    public let paths: LabPaths
    let tools: HostTools
    let logger: Logger
    let labID: String

    public init(topology: Topology, root: String = LabPaths.defaultRoot, logger: Logger) throws(LabError) {
        try HostTools.requireRoot()
        self.tools = try HostTools.locate()
        try Self.checkStateRoot(root)
        self.topology = topology
        self.paths = LabPaths(name: topology.name, root: root)
        self.logger = logger
        self.labID = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
    }

    /// Brings the lab up and returns its summary, holding the lab's `LabLock` throughout: a second `up` of the
    /// same lab waits for this one and then finds the lab up.
    /// - Throws: `LabError` when refused (remote topology, lab already up) or when a step fails; in the
    ///   second case everything created so far has been removed again.
    public func up() throws(LabError) -> LabSummary {
        guard topology.usesLocalLab else {
            throw LabError(
                .remoteTopology,
                "topology '\(topology.name)' names SSH endpoints; the local lab builds only topologies without them",
                hint:
                    "run plans on those machines directly with `testbed run`; remove the 'ssh' sections to use a local lab"
            )
        }
        SignalSetup.ignoreSIGPIPE()
        let start = ContinuousClock.now
        return try LabLock.withLock(paths: paths) { () throws(LabError) in
            try prepareStateDirectory()
            let journal = try LabJournal(path: paths.journal)
            do throws(LabError) {
                let summary =
                    topology.labProvider.kind == .namespaces
                    ? try build(journal: journal, start: start) : try buildProvider(journal: journal, start: start)
                logger.info("lab up", metadata: ["lab": "\(topology.name)", "seconds": "\(summary.setupSeconds)"])
                return summary
            } catch {
                logger.notice("lab up failed; removing what was created", metadata: ["lab": "\(topology.name)"])
                _ = try? LabTeardown(paths: paths, logger: logger).down()
                throw error
            }
        }
    }

    func build(journal: LabJournal, start: ContinuousClock.Instant) throws(LabError) -> LabSummary {
        try writeFiles(journal: journal)
        FaultInjection.checkpoint("lab-files")
        let group = HolderGroup()
        let (switchPID, nodeRecords) = try startHolders(group: group, journal: journal)
        FaultInjection.checkpoint("lab-holders")
        try wireSegments(switchPID: switchPID, nodePIDs: nodeRecords.map(\.pid), journal: journal)
        FaultInjection.checkpoint("lab-links")
        group.release()
        let failed = group.awaitLine("up", until: .now + holderTimeout)
        FaultInjection.checkpoint("lab-released")
        guard failed.isEmpty else {
            throw LabError.setup(
                "configuring the interfaces of \(failed.map(\.description).joined(separator: ", ")) failed",
                cause: holderLogs(failed))
        }
        let summary = LabSummary(
            name: topology.name, labID: labID, topologyPath: topology.sourcePath, topologyHash: topology.contentHash,
            createdAt: Date(), switchPID: switchPID, nodes: nodeRecords, setupSeconds: start.secondsSince)
        try writeAccessFiles(summary: summary, journal: journal)
        FaultInjection.checkpoint("lab-access")
        journal.recordComplete()
        try journal.commit()
        FaultInjection.checkpoint("lab-complete")
        return summary
    }

    /// Nodes see their own /run, /sys, /dev/shm, /root and /etc/iproute2; sshd inside a node must still read the
    /// lab's files, and paths end up in ssh_config, so the state root must avoid those and be plain.
    static func checkStateRoot(_ root: String) throws(LabError) {
        let hidden = ["/run", "/var/run", "/sys", "/dev/shm", "/root", "/etc/iproute2", "/proc"]
        let plain =
            root.hasPrefix("/")
            && root.unicodeScalars.allSatisfy {
                Names.isASCIIAlphanumeric($0) || "/._-".unicodeScalars.contains($0)
            }
        guard plain, !hidden.contains(where: { root == $0 || root.hasPrefix($0 + "/") }) else {
            throw LabError(
                .setupFailed, "the lab state directory '\(root)' cannot be used",
                hint:
                    "set TESTBED_HOME to an absolute path of letters, digits, '/', '.', '_', '-' outside \(hidden.joined(separator: ", ")) (default /var/lib/testbed)"
            )
        }
    }

    /// Time allowed for holders to report: a fixed margin plus a share per node, so large labs on a loaded machine
    /// are not cut short.
    var holderTimeout: Duration { .seconds(15 + topology.nodes.count / 5) }

    /// Refuses a lab that is up; clears the leftovers of one whose processes are all gone. Runs under the lab's
    /// lock (which created the state directory), so a journal without a complete lab is never one being built.
    private func prepareStateDirectory() throws(LabError) {
        guard FileManager.default.fileExists(atPath: paths.journal) else { return }
        if let existing = LabSummary.read(paths), existing.isAlive {
            if existing.topologyHash != topology.contentHash {
                throw LabError(
                    .topologyChanged,
                    "lab '\(topology.name)' is up with a different version of its topology (\(existing.topologyPath))",
                    hint: "take it down first: testbed lab down --name \(topology.name)")
            }
            throw LabError(
                .alreadyUp,
                "lab '\(topology.name)' is already up (since \(existing.createdAt), \(existing.nodes.count) nodes)",
                hint: "use it as it is, or take it down first: testbed lab down --name \(topology.name)")
        }
        logger.notice("removing leftovers of an earlier lab '\(topology.name)' whose processes are gone")
        _ = try LabTeardown(paths: paths, logger: logger).down()
    }

    func holderLogs(_ roles: [HolderRole]) -> String {
        roles.compactMap { role in
            guard let bytes = ProcFS.read(paths.holderLog(role: role)), !bytes.isEmpty else { return nil }
            return "\(role): "
                + String(decoding: bytes.suffix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }.joined(separator: "\n")
    }
}
