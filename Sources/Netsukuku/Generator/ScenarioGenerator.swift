/// A seeded random scenario: N systems on one shared segment, a connected random arc graph, and a legal
/// sequence of operations that merges every system into one network — small networks formed first, then
/// entries of single nodes and of g-nodes, zero-step and with migration paths, standalone migrations of
/// nodes and g-nodes, late arcs, outer-arc removals and dismissals that keep every g-node connected.
public struct ScenarioGenerator: Sendable {
    public struct Output: Sendable {
        public var scenarioYAML: String
        public var topologyYAML: String
        public var topologyFileName: String
        public var operationCount: Int
    }

    public var systems: Int
    public var scheme: AddressScheme
    public var seed: UInt64

    /// A generator; without a scheme, seed % 3 picks one of the three schemes sized for `systems`.
    public init(systems: Int, scheme: AddressScheme? = nil, seed: UInt64) {
        self.systems = max(2, systems)
        self.seed = seed
        let choices = Self.schemes(for: systems)
        self.scheme = scheme ?? choices[Int(seed % UInt64(choices.count))]
    }

    /// Three schemes with room for at least three addresses per system.
    public static func schemes(for systems: Int) -> [AddressScheme] {
        let candidates: [[Int]] = [
            [2, 2, 2, 4], [4, 2, 4], [2, 2, 2, 2, 8], [4, 4, 8], [2, 4, 2, 8], [4, 4, 4, 8], [8, 8, 16], [2, 4, 8, 8],
            [4, 4, 8, 16],
        ]
        let fitting = candidates.filter { $0.reduce(1, *) >= 3 * systems }.compactMap { try? AddressScheme(gsizes: $0) }
        return Array(fitting.prefix(3))
    }

    public func generate() -> Output {
        var run = GeneratorRun(count: systems, scheme: scheme, seed: seed)
        run.generate()
        return Output(
            scenarioYAML: run.scenarioYAML(), topologyYAML: run.topologyYAML(), topologyFileName: run.topologyFileName,
            operationCount: run.operations.count)
    }
}

/// One generation: the shadow model, the random source, the operations written so far.
struct GeneratorRun {
    let count: Int
    let scheme: AddressScheme
    let seed: UInt64
    var random: SeededRandom
    var model: GeneratorModel
    var names: [String]
    var operations: [String] = []
    var entryCount = 0
    var migrationCount = 0
    /// Connectivity identities of migrations, still alive.
    var pending: [Int] = []
    var extraArcs: [[Int]] = []
    var initialAddresses: [NetsukukuAddress] = []

    init(count: Int, scheme: AddressScheme, seed: UInt64) {
        self.count = count
        self.scheme = scheme
        self.seed = seed
        random = SeededRandom(seed: seed)
        model = GeneratorModel(scheme: scheme)
        let width = String(count).count
        names = (1...count).map { index in
            let digits = String(index)
            return "n" + String(repeating: "0", count: width - digits.count) + digits
        }
    }

    var topologyFileName: String { "gen-\(count)-\(seed).topology.yaml" }

    mutating func op(_ line: String) { operations.append("    - " + line) }

    mutating func generate() {
        for system in 0..<count {
            let ids = (0..<scheme.levels).map { Int.random(in: 0..<scheme.gsizes[$0], using: &random) }
            model.identities.append(.init(system: system, address: NetsukukuAddress(ids: ids), network: system))
            initialAddresses.append(NetsukukuAddress(ids: ids))
            model.principal.append(system)
        }
        op("init: [\(names.joined(separator: ", "))]")
        for system in 1..<count { addArc(system, Int.random(in: 0..<system, using: &random)) }
        for _ in 0..<(count / 3) {
            let a = Int.random(in: 0..<count, using: &random)
            let b = Int.random(in: 0..<count, using: &random)
            let pair = [min(a, b), max(a, b)]
            if a != b, !model.hasArc(a, b), !extraArcs.contains(pair) { extraArcs.append(pair) }
        }
        formSmallNetworks()
        growMainNetwork()
        for pair in extraArcs { addArc(pair[0], pair[1]) }
        extraArcs = []
        settle(probability: 1)
        removeOneArcIfSafe()
    }

    mutating func addArc(_ a: Int, _ b: Int) {
        guard a != b, !model.hasArc(a, b) else { return }
        model.arcs.insert([min(a, b), max(a, b)])
        op("add_real_arc: [\(names[a]), \(names[b])]")
    }

    /// Some systems first gather a neighbour or two into their own network (single-node entries into the
    /// same level-1 g-node), so later whole g-nodes can enter the main network.
    mutating func formSmallNetworks() {
        var used: Set<Int> = [0]
        for hub in 1..<count where !used.contains(hub) && random.chance(0.2) {
            let hubNetwork = model.network(of: hub)
            for joiner in (0..<count).shuffled(using: &random) where model.hasArc(hub, joiner) && !used.contains(joiner)
            {
                guard joiner != hub, model.members(of: model.network(of: joiner)).count == 1 else { continue }
                let parent = model.gnode(model.identities[model.principal[hub]].address, level: 1)
                guard let slot = model.freeSlots(inside: parent, in: hubNetwork).randomElement(using: &random) else {
                    break
                }
                let virtual = model.virtualSlot(inside: parent, in: hubNetwork)
                enter(system: joiner, into: hub, virtual: virtual, real: slot)
                used.insert(joiner)
                if random.chance(0.5) { break }
            }
            used.insert(hub)
        }
    }
}
