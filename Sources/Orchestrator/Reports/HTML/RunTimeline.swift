public import PlanModel

/// The swimlanes of a run: one lane per node, and one per namespace a unit ran in; a bar per block that
/// ran, placed by its start (from `unit_started`) and sized by its wall time; a check as a marker spanning
/// its node and the nodes holding the addresses it pinged; the stages of the schedule. Pure.
public struct RunTimeline: Sendable {
    public struct Lane: Sendable, Hashable {
        public var node: NodeName
        public var namespace: String?
        public var label: String { namespace.map { "\(node) · \($0)" } ?? node.rawValue }
    }

    public struct Bar: Sendable {
        public var id: String
        public var result: UnitResult
        public var lane: Int
        /// The lanes the marker spans (a block's own lane; a check's node and the nodes it reached for).
        public var lanes: ClosedRange<Int>
        public var start: Double
        public var duration: Double
        public var stage: Int?
        public var isCheck: Bool { result.kind != .block }
    }

    public struct Stage: Sendable {
        public var index: Int
        public var start: Double
        public var end: Double
        public var isBarrier: Bool
    }

    public var lanes: [Lane] = []
    public var bars: [Bar] = []
    public var stages: [Stage] = []
    /// Seconds from the run's start to the end of its last unit.
    public var span: Double = 0

    /// `u-3-1-beta` for block 1 of step 3 on beta, `u-9-c-gamma` for the check of step 9 (numbers from 1).
    public static func id(of unit: Schedule.Unit) -> String {
        "u-\(unit.stepIndex + 1)-\(unit.blockIndex.map { "\($0 + 1)" } ?? "c")-\(unit.node)"
    }

    /// The network namespace a unit ran in.
    public static func namespace(of unit: Schedule.Unit, in plan: Plan) -> String? {
        guard plan.steps.indices.contains(unit.stepIndex) else { return nil }
        switch plan.steps[unit.stepIndex].action {
        case .blocks(let blocks): return blocks[unit.blockIndex ?? 0].netns?.rawValue
        case .reach(let check): return check.netns?.rawValue
        case .expect(let check): return check.block.netns?.rawValue
        case .service(let service): return service.netns?.rawValue
        case .conform, .wait, .fault: return nil
        }
    }

    public init(journal: RunJournal, replay: RunStateReplay) {
        let plan = journal.plan
        var nodes = journal.nodes
        for result in journal.results where !nodes.contains(result.unit.node) { nodes.append(result.unit.node) }
        var namespaces: [NodeName: [String]] = [:]
        for result in journal.results {
            if let name = Self.namespace(of: result.unit, in: plan),
                !(namespaces[result.unit.node] ?? []).contains(name)
            {
                namespaces[result.unit.node, default: []].append(name)
            }
        }
        for node in nodes {
            lanes.append(Lane(node: node))
            lanes += (namespaces[node] ?? []).map { Lane(node: node, namespace: $0) }
        }
        var stageOf: [Schedule.Unit: Int] = [:]
        for (index, stage) in (journal.schedule?.stages ?? []).enumerated() {
            for unit in stage.units { stageOf[unit] = index }
        }
        for result in journal.results where result.status != .skipped {
            guard let start = journal.unitStarts[result.unit] else { continue }
            let lane = laneIndex(result.unit.node, Self.namespace(of: result.unit, in: plan)) ?? 0
            var spanned = [lane]
            if case .reach(let check) = plan.steps[result.unit.stepIndex].action {
                for target in check.targets {
                    for owner in replay.owners(of: target, afterStep: result.unit.stepIndex - 1) {
                        if let index = laneIndex(owner.node, owner.namespace) ?? laneIndex(owner.node, nil) {
                            spanned.append(index)
                        }
                    }
                }
            }
            let range = (spanned.min() ?? lane)...(spanned.max() ?? lane)
            bars.append(
                Bar(
                    id: Self.id(of: result.unit), result: result, lane: lane, lanes: range, start: start,
                    duration: result.seconds, stage: stageOf[result.unit]))
            span = max(span, start + result.seconds)
        }
        for (index, stage) in (journal.schedule?.stages ?? []).enumerated() {
            let members = bars.filter { $0.stage == index }
            guard let first = members.map(\.start).min() else { continue }
            let end = members.map { $0.start + $0.duration }.max() ?? first
            stages.append(Stage(index: index, start: first, end: end, isBarrier: stage.isBarrier))
        }
    }

    private func laneIndex(_ node: NodeName, _ namespace: String?) -> Int? {
        lanes.firstIndex { $0.node == node && $0.namespace == namespace }
    }
}
