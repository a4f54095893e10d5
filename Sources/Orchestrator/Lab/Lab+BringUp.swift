public import Logging
public import PlanModel

extension Lab {
    /// The running lab of `topology`, brought up first if it is not up, all under the lab's `LabLock`: two runs
    /// started together both get the one lab, and neither sees it half-built.
    /// - Parameter fresh: Take the lab down first (documented sequences only work on fresh systems).
    /// - Returns: The lab's summary, and whether this call brought it up.
    /// - Throws: `LabError`: `topologyChanged` when the running lab has another version of the topology, or what
    ///   `LabBuilder.up()` and `LabTeardown.down()` throw.
    public static func bringUp(
        _ topology: Topology, fresh: Bool = false, root: String = LabPaths.defaultRoot, logger: Logger
    ) throws(LabError) -> (summary: LabSummary, broughtUp: Bool) {
        let paths = LabPaths(name: topology.name, root: root)
        return try LabLock.withLock(paths: paths) { () throws(LabError) in
            if fresh { try LabTeardown(paths: paths, logger: logger).down() }
            if let summary = running(name: topology.name, root: root) {
                guard summary.topologyHash == topology.contentHash else {
                    throw LabError(
                        .topologyChanged,
                        "lab '\(topology.name)' is up with a different version of its topology (\(summary.topologyPath))",
                        hint: "take it down and up again: testbed lab down --name \(topology.name)")
                }
                return (summary, false)
            }
            return (try LabBuilder(topology: topology, root: root, logger: logger).up(), true)
        }
    }
}
