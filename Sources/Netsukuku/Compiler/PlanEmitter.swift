public import PlanModel

/// One compiled phase: the blocks one event makes on every participating system, in the order they run.
public struct CompiledPhase: Sendable, Hashable {
    /// The scenario operation that caused it (its id, e.g. `entr03`, or `init-1`).
    public var operation: String
    public var kind: OperationKind
    public var stepID: String
    /// Per system, the command lines (a system may appear once per phase).
    public var blocks: [(system: String, lines: [String])]

    public static func == (a: CompiledPhase, b: CompiledPhase) -> Bool {
        a.operation == b.operation && a.kind == b.kind && a.stepID == b.stepID
            && a.blocks.map(\.system) == b.blocks.map(\.system) && a.blocks.map(\.lines) == b.blocks.map(\.lines)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(stepID) }

    /// The lines of one system in this phase.
    public func lines(of system: String) -> [String] { blocks.filter { $0.system == system }.flatMap(\.lines) }
}

/// Collects compiled phases and checks into plan steps, marking a step as a barrier exactly when one of its
/// blocks must wait for a block of another system that would otherwise run in the same parallel stage
/// (`Schedule.make` runs the steps between two barriers as one stage, each node in plan order).
struct PlanEmitter {
    private(set) var steps: [Step] = []
    private(set) var phases: [CompiledPhase] = []
    /// The parallel stage each phase lands in, and the systems of its blocks.
    private var phaseStage: [Int] = []
    private var phaseSystems: [Set<String>] = []
    /// The last stage made, and the open stage a non-barrier step joins (nil after a barrier or a check).
    private var stageCount = 0
    private var openStage: Int?
    private var stepIDs: [String: Int] = [:]
    /// The topology node of each scenario system (a system the topology lacks is an error reported elsewhere).
    var nodes: [String: NodeName] = [:]

    /// Adds a phase as one step.
    /// - Parameters:
    ///   - dependsOn: phases (indices) that must have finished on their systems before this phase starts.
    /// - Returns: the phase's index.
    @discardableResult
    mutating func phase(
        operation: String, id: String, title: String, kind: OperationKind, blocks: [(system: String, lines: [String])],
        dependsOn: [Int], location: InputLocation
    ) -> Int? {
        let blocks = merged(blocks.filter { !$0.lines.isEmpty })
        guard !blocks.isEmpty else { return nil }
        let systems = Set(blocks.map(\.system))
        // Inside one stage only a node's own blocks are ordered; a dependency across systems needs a new stage.
        let needsBarrier = dependsOn.contains { dependency in
            openStage != nil && phaseStage[dependency] == openStage
                && phaseSystems[dependency].union(systems).count > 1
        }
        let stepID = unique(id)
        let nodeBlocks = blocks.compactMap { block in
            nodes[block.system].map { node in
                NodeBlock(node: node, lines: block.lines.map { ScriptLine($0, at: location) }, location: location)
            }
        }
        steps.append(
            Step(
                id: stepID, title: title, operation: kind, isBarrier: needsBarrier, action: .blocks(nodeBlocks),
                location: location))
        if needsBarrier {
            stageCount += 1
            phaseStage.append(stageCount)
            openStage = nil
        } else if let openStage {
            phaseStage.append(openStage)
        } else {
            stageCount += 1
            openStage = stageCount
            phaseStage.append(stageCount)
        }
        phaseSystems.append(systems)
        phases.append(CompiledPhase(operation: operation, kind: kind, stepID: stepID, blocks: blocks))
        return phases.count - 1
    }

    /// Adds a reach check (always its own stage, as `Schedule` runs checks).
    mutating func reach(id: String, title: String, check: ReachCheck, location: InputLocation) {
        steps.append(Step(id: unique(id), title: title, operation: .check, action: .reach(check), location: location))
        stageCount += 1
        openStage = nil
    }

    var lastPhase: Int? { phases.isEmpty ? nil : phases.count - 1 }

    /// Opens a section of a rendered page at step `index` (the first step of an operation), if there is one.
    mutating func section(from index: Int, heading: String) {
        guard steps.indices.contains(index) else { return }
        steps[index].heading = Heading(level: 2, text: heading, location: steps[index].location)
    }

    /// One block per system: a system named twice has its lines joined in order.
    private func merged(_ blocks: [(system: String, lines: [String])]) -> [(system: String, lines: [String])] {
        var result: [(system: String, lines: [String])] = []
        for block in blocks {
            if let index = result.firstIndex(where: { $0.system == block.system }) {
                result[index].lines += block.lines
            } else {
                result.append(block)
            }
        }
        return result
    }

    /// A step id `--from`/`--to` can take: letters, digits, '_', '.', '-' (an identity label's '/' becomes '-').
    private mutating func unique(_ given: String) -> String {
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            Names.isASCIIAlphanumeric(scalar) || "_.-".unicodeScalars.contains(scalar)
        }
        // Most ids need no replacement: keep the string as it is instead of rebuilding it.
        let id =
            given.unicodeScalars.allSatisfy(allowed)
            ? given : String(given.unicodeScalars.map { allowed($0) ? Character($0) : "-" })
        let count = stepIDs[id, default: 0]
        stepIDs[id] = count + 1
        return count == 0 ? id : "\(id)-\(count + 1)"
    }
}
