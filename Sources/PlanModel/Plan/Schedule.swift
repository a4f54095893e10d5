/// The order in which a plan's blocks and checks run.
///
/// A schedule is a list of stages run one after the other. Inside a stage, each node's units run in plan
/// order and different nodes run at the same time. In document order every unit is its own stage (the
/// page's total order, exactly as written). In parallel order a stage runs from one barrier to the next:
/// checks and steps marked `barrier: true` are stages of their own — except that consecutive reach checks
/// share one stage: they only send pings and change no state, so they still wait for everything before them
/// and hold back everything after them.
public struct Schedule: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case document, parallel
    }

    /// One block or check: what the engine runs on one node.
    public struct Unit: Sendable, Hashable, Codable, CustomStringConvertible {
        public var stepIndex: Int
        /// The block within the step; nil for a check.
        public var blockIndex: Int?
        public var node: NodeName

        public init(stepIndex: Int, blockIndex: Int?, node: NodeName) {
            self.stepIndex = stepIndex
            self.blockIndex = blockIndex
            self.node = node
        }

        public var description: String {
            "step \(stepIndex + 1)\(blockIndex.map { " block \($0 + 1)" } ?? "") on \(node)"
        }
    }

    public struct Stage: Sendable, Hashable, Codable {
        public var units: [Unit]
        /// Why the stage ends where it does (for `--dry-run` and reports).
        public var isBarrier: Bool
        /// A wait step: the stage has no units, and pauses once everything before it has finished.
        public var pause: Pause?

        public init(units: [Unit], isBarrier: Bool, pause: Pause? = nil) {
            self.units = units
            self.isBarrier = isBarrier
            self.pause = pause
        }
    }

    /// A pause of a wait step.
    public struct Pause: Sendable, Hashable, Codable {
        public var stepIndex: Int
        public var milliseconds: Int
    }

    public var mode: Mode
    public var stages: [Stage]
    /// The steps included (after `--from`/`--to`), as plan indices.
    public var stepRange: ClosedRange<Int>?

    public var units: [Unit] { stages.flatMap(\.units) }

    /// Builds the schedule of `plan`, optionally only the steps from `from` through `to` (ids or 1-based numbers).
    /// - Throws: `InputError` naming the unknown step and listing the plan's step ids.
    public static func make(for plan: Plan, mode: Mode, from: String? = nil, to: String? = nil) throws(InputError)
        -> Schedule
    {
        guard !plan.steps.isEmpty else { return Schedule(mode: mode, stages: [], stepRange: nil) }
        let first = try from.map { (text) throws(InputError) in try index(of: text, in: plan, option: "--from") } ?? 0
        let last =
            try to.map { (text) throws(InputError) in try index(of: text, in: plan, option: "--to") } ?? plan.steps
            .count - 1
        guard first <= last else {
            throw InputError(
                .invalidValue, "--from \(plan.steps[first].id) comes after --to \(plan.steps[last].id)",
                at: plan.steps[first].location, hint: "give --from a step at or before the --to step")
        }
        var stages: [Stage] = []
        var open: [Unit] = []
        func close() {
            if !open.isEmpty { stages.append(Stage(units: open, isBarrier: false)) }
            open = []
        }
        for index in first...last {
            let step = plan.steps[index]
            let units = Self.units(of: step, at: index)
            if case .wait(let milliseconds) = step.action {
                close()
                stages.append(
                    Stage(units: [], isBarrier: true, pause: Pause(stepIndex: index, milliseconds: milliseconds)))
                continue
            }
            if step.startsTogether {
                // Started at one instant: a stage of their own, in either order.
                close()
                stages.append(Stage(units: units, isBarrier: step.actsAsBarrier))
                continue
            }
            switch mode {
            case .document:
                stages += units.map { Stage(units: [$0], isBarrier: step.actsAsBarrier) }
            case .parallel:
                if step.isReach, open.isEmpty, let last = stages.last, last.isBarrier,
                    last.units.allSatisfy({ plan.steps[$0.stepIndex].isReach })
                {
                    stages[stages.count - 1].units += units
                } else if step.actsAsBarrier {
                    close()
                    if !units.isEmpty { stages.append(Stage(units: units, isBarrier: true)) }
                } else {
                    open += units
                }
            }
        }
        close()
        return Schedule(mode: mode, stages: stages, stepRange: first...last)
    }

    static func units(of step: Step, at index: Int) -> [Unit] {
        switch step.action {
        case .blocks(let blocks):
            blocks.enumerated().map { Unit(stepIndex: index, blockIndex: $0.offset, node: $0.element.node) }
        case .reach(let check): [Unit(stepIndex: index, blockIndex: nil, node: check.node)]
        case .expect(let check): [Unit(stepIndex: index, blockIndex: nil, node: check.node)]
        case .service(let service): [Unit(stepIndex: index, blockIndex: nil, node: service.node)]
        case .conform(let check): [Unit(stepIndex: index, blockIndex: nil, node: check.node)]
        case .fault(let fault): [Unit(stepIndex: index, blockIndex: nil, node: fault.node)]
        case .wait: []
        }
    }

    private static func index(of text: String, in plan: Plan, option: String) throws(InputError) -> Int {
        if let index = plan.steps.firstIndex(where: { $0.id == text }) { return index }
        if let number = Int(text), (1...plan.steps.count).contains(number) { return number - 1 }
        let ids = plan.steps.prefix(30).map(\.id).joined(separator: ", ")
        throw InputError(
            .unknownReference, "\(option) names no step of this plan: '\(text)'",
            at: InputLocation(file: plan.sourcePath, line: 1),
            hint:
                "use a step id or a number from 1 to \(plan.steps.count); ids: \(ids)\(plan.steps.count > 30 ? ", …" : "")"
        )
    }
}
