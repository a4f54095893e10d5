/// What `testbed replay` runs for a page: checked against the topology's cards, the prior state synthesised,
/// templates and the page's own mistakes found — and, with `--repair`, those mistakes mended at their line.
public struct ReplayPreparation: Sendable {
    public var synthesis: PriorStateSynthesis
    /// The setup steps, then the page (repaired when asked).
    public var plan: Plan
    /// Why the page must not run; nil when it may.
    public var refusal: InputErrors?
    public var isRepairing: Bool

    /// - Throws: `InputErrors` when the page uses a network card the topology does not give a node (before
    ///   anything else: no synthesis can stand in for wiring).
    public static func make(_ imported: ImportResult, topology: Topology, repairing: Bool) throws(InputErrors)
        -> ReplayPreparation
    {
        try TopologyVariants.verify(imported.plan, topology: topology)
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(imported.plan)
        let path = imported.plan.sourcePath
        return ReplayPreparation(
            synthesis: synthesis,
            plan: synthesis.replayPlan(
                imported.plan, sourcePath: path + " (synthesised prior state)", repairing: repairing),
            refusal: synthesis.refusal(source: imported.source, repairing: repairing), isRepairing: repairing)
    }

    /// The report `replay` prints: the prior state, the page's mistakes, and with `--repair` each repair made.
    public var report: String {
        var text = synthesis.summary
        let repaired = synthesis.mistakes.filter { $0.repair != nil }
        if isRepairing, !repaired.isEmpty {
            text += "\nrepaired with --repair (\(repaired.count) line\(repaired.count == 1 ? "" : "s") of the page):"
            for mistake in repaired { text += "\n  \(mistake.repairSummary)" }
        }
        return text
    }
}
