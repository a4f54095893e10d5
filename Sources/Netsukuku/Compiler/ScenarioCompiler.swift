public import PlanModel

/// A compiled scenario: the plan, and the phases it was made of (for comparisons with the documentation).
public struct CompiledScenario: Sendable {
    public var plan: Plan
    public var phases: [CompiledPhase]
    /// Things the model predicts that a reader should know (pairs of one network that cannot reach each
    /// other, for instance); they are also the plan's notes.
    public var warnings: [String]

    /// Command lines per scenario operation, in scenario order.
    public var linesPerOperation: [(operation: String, lines: Int)] {
        var result: [(operation: String, lines: Int)] = []
        for phase in phases {
            let count = phase.blocks.reduce(0) { $0 + $1.lines.count }
            if let last = result.last, last.operation == phase.operation {
                result[result.count - 1].lines += count
            } else {
                result.append((phase.operation, count))
            }
        }
        return result
    }

    /// The phases of one operation, optionally of some kinds only.
    public func phases(of operation: String, kinds: [OperationKind]? = nil) -> [CompiledPhase] {
        phases.filter { $0.operation == operation && (kinds?.contains($0.kind) ?? true) }
    }
}

/// Turns a scenario into an ordered, checked plan (pure).
///
/// The compiler keeps the state of the network — per system its identities, namespaces and addresses,
/// identity-arcs and qspn-arcs, forwarding tables with their `rt_tables` numbers, marks and rules, which
/// arcs delivered an ETP — and emits for each operation the blocks of every participating system from the
/// templates of domain.md §3, then the ETP waves the change causes until the network has converged, then
/// reach checks derived from the tables it left.
public enum ScenarioCompiler {
    /// Reads and compiles the scenario at `path`, reporting the problems of both passes together.
    /// - Throws: `InputErrors` with every problem, sorted by position.
    public static func compile(path: String, topology: Topology) throws(InputErrors) -> (Scenario, CompiledScenario) {
        try compile(text: InputFile.text(at: path), path: path, topology: topology)
    }

    /// Reads and compiles scenario text that came from `path`.
    /// - Throws: `InputErrors` with every problem of reading and compiling, sorted by position.
    public static func compile(text: String, path: String, topology: Topology) throws(InputErrors)
        -> (Scenario, CompiledScenario)
    {
        let (scenario, readErrors) = ScenarioLoader.read(text: text, path: path)
        guard let scenario else { throw InputErrors(readErrors) }
        let compiled: CompiledScenario
        do {
            compiled = try compile(scenario, topology: topology)
        } catch {
            throw InputErrors(readErrors + error.errors)
        }
        guard readErrors.isEmpty else { throw InputErrors(readErrors) }
        return (scenario, compiled)
    }

    /// How reach checks are derived. Both give the same checks; `.fromScratch` is the reference the
    /// incremental derivation is tested against.
    public enum CheckDerivation: Sendable {
        /// Walks of the previous derivation are reused where the tables they went through did not change.
        case incremental
        /// Every walk is made anew after every operation.
        case fromScratch
    }

    /// Compiles `scenario` for the systems of `topology`.
    /// - Throws: `InputErrors` with every problem of the scenario, located, each with a hint.
    public static func compile(
        _ scenario: Scenario, topology: Topology, derivation: CheckDerivation = .incremental
    ) throws(InputErrors) -> CompiledScenario {
        var run = CompilerRun(scenario: scenario, topology: topology)
        run.reusesWalks = derivation == .incremental
        run.setUpSystems()
        for operation in scenario.operations { run.compile(operation) }
        guard run.errors.isEmpty else { throw InputErrors(run.errors) }
        var plan = Plan(
            title: scenario.title, sourceKind: .yaml, sourcePath: scenario.source.path, steps: run.emitter.steps)
        plan.notes = run.warnings.map { Note(text: $0) }
        return CompiledScenario(plan: plan, phases: run.emitter.phases, warnings: run.warnings)
    }
}

/// One compilation: the state, the plan being written, the problems found.
struct CompilerRun {
    let scenario: Scenario
    let topology: Topology
    let mapping: IPMapping
    var state = NetworkState()
    var emitter = PlanEmitter()
    var errors: [InputError] = []
    var warnings: [String] = []
    /// The warnings, to find one fast.
    var warned: Set<String> = []
    /// The tables of the last reach-check derivation and the walks made in them (reused by the next).
    var carriedWalks: (simulator: ForwardingSimulator, memo: ForwardingSimulator.Memo)?
    var reusesWalks = true
    /// Ping targets of the last derivations, reused where nothing they depend on changed (incremental only).
    var reachMemo = ReachMemo()
    /// The operation being compiled: its id (entr03, init-1) and where the scenario wrote it.
    var operation = ""
    var location = InputLocation(file: "", line: 1)
    /// The last phase of the previous operation: the next operation starts after it.
    var previousOperationEnd: Int?
    /// The latest phase that ran a block on each system.
    var lastPhaseOfSystem: [String: Int] = [:]
    /// Entries compiled so far, by id.
    var entries: [String: EntryRecord] = [:]
    /// Migrations compiled so far.
    var migrationsDone: Set<String> = []
    var operationIDs: Set<String> = []
    var operationCounter = 0
    var usedLinkLocals: Set<IPAddress> = []
    var usedMACs: Set<MACAddress> = []

    init(scenario: Scenario, topology: Topology) {
        self.scenario = scenario
        self.topology = topology
        mapping = IPMapping(scheme: scenario.scheme)
    }

    /// What phase 2 of an entry needs.
    struct EntryRecord {
        var newIdentities: [Int]
        var real: Located<GNodeAddress>?
        var waitsFor: [Located<String>]
        var isWaiting: Bool
    }

    mutating func fail(_ code: InputError.Code, _ message: String, at location: InputLocation, hint: String) {
        errors.append(scenario.error(code, message, at: location, hint: hint))
    }

    mutating func compile(_ operation: ScenarioOperation) {
        operationCounter += 1
        // An operation on a system whose settings had errors would only repeat them.
        guard !mentionsBrokenSystem(operation) else { return }
        location = operation.location
        let errorCount = errors.count
        let firstStep = emitter.steps.count
        defer { emitter.section(from: firstStep, heading: operation.headingText) }
        switch operation.kind {
        case .start(let systems):
            self.operation = "init-\(operationCounter)"
            start(systems)
        case .addArc(let arc):
            self.operation = "arc-\(arc.ends.map(\.value).joined(separator: "-"))"
            addArc(arc)
        case .removeArc(let arc):
            self.operation = "remove-arc-\(arc.ends.map(\.value).joined(separator: "-"))"
            removeArc(arc)
        case .enter(let entry):
            self.operation = entry.id.value
            enter(entry)
        case .enterPhase2(let id):
            self.operation = "\(id.value)-phase-2"
            enterPhase2(id)
        case .migrate(let migration):
            self.operation = migration.id.value
            migrate(migration)
        case .removeOuterArcs(let references):
            self.operation =
                "remove-outer-arcs-"
                + references.map { $0.description.split(separator: "/").joined(separator: "-") }
                .joined(separator: "-")
            removeOuterArcs(references)
        case .dismiss(let references):
            self.operation =
                "dismiss-"
                + references.map { $0.description.split(separator: "/").joined(separator: "-") }
                .joined(separator: "-")
            dismiss(references)
        }
        if errors.count == errorCount, scenario.checks != .none { deriveChecks() }
        previousOperationEnd = emitter.lastPhase ?? previousOperationEnd
    }

    func mentionsBrokenSystem(_ operation: ScenarioOperation) -> Bool {
        let broken = Set(scenario.systems.values.filter(\.isBroken).map(\.name)).union(
            scenario.systems.keys.filter { state.systems[$0] == nil })
        guard !broken.isEmpty else { return false }
        let names: [String]
        switch operation.kind {
        case .start(let systems): names = systems.map(\.value)
        case .addArc(let arc), .removeArc(let arc): names = arc.ends.map(\.value)
        case .enter(let entry):
            var all = [entry.into.value] + (entry.network.map { [$0.value] } ?? [])
            if case .systems(let systems) = entry.gnode { all += systems.map(\.value) }
            names = all
        case .migrate(let migration):
            var all = migration.network.map { [$0.value] } ?? []
            if case .systems(let systems) = migration.gnode { all += systems.map(\.value) }
            names = all
        case .enterPhase2: names = []
        case .removeOuterArcs(let references), .dismiss(let references): names = references.map(\.system)
        }
        return names.contains(where: broken.contains)
    }

    /// Emits a phase. Its first dependency is the previous operation's end (operations run one after the
    /// other, as a user gives them); `after` adds the phases this one reports on.
    @discardableResult
    mutating func emit(
        _ id: String, _ title: String, _ kind: OperationKind, _ blocks: [(system: String, lines: [String])],
        after: [Int?] = []
    ) -> Int? {
        let dependencies = ([previousOperationEnd] + after).compactMap { $0 }
        let stepID = id.hasPrefix(operation) ? id : "\(operation)-\(id)"
        let phase = emitter.phase(
            operation: operation, id: stepID, title: title, kind: kind, blocks: blocks, dependsOn: dependencies,
            location: location)
        if let phase {
            for block in blocks where !block.lines.isEmpty { lastPhaseOfSystem[block.system] = phase }
        }
        return phase
    }
}
