import NodeAgentProtocol
public import PlanModel
import Synchronization

/// How a run checks kernel state after each block.
public enum StateCheckMode: String, Sendable, CaseIterable {
    /// A difference between the model's prediction and the node fails the block.
    case fail
    /// Differences are reported, the block keeps its status.
    case warn
    /// No model, no state queries.
    case off
}

/// The kernel-state model of every node during a run: started from each node's real state at connect time,
/// advanced by each block's prediction, and corrected by what the node reports back.
///
/// Units of one node never run at the same time (the run state machine sees to it), so each node's state is
/// read and written by one task at a time; the lock only guards the dictionary.
public final class StateTracker: Sendable {
    public let mode: StateCheckMode
    private let states: Mutex<[NodeName: NodeState]>
    /// Per node, the documented state its last conformance check ended on; and the names bound so far.
    private let conformance = Mutex<(bases: [NodeName: NodeState], binding: ConformanceBinding)>(([:], .init()))
    /// The states observed at connect time (for schedule equivalence and reports).
    public let initialStates: [NodeName: NodeState]

    init(mode: StateCheckMode, states: [NodeName: NodeState]) {
        self.mode = mode
        self.states = Mutex(states)
        self.initialStates = states
    }

    /// Which plan line put each route, rule and iptables rule there (for explaining a failed reach check).
    public let provenance = StateProvenance()

    func state(of node: NodeName) -> NodeState? { states.withLock { $0[node] } }

    /// Every node's current state.
    var allStates: [NodeName: NodeState] { states.withLock { $0 } }

    func update(_ node: NodeName, to state: NodeState) { states.withLock { $0[node] = state } }

    /// Where the next conformance check of `node` predicts from: its last one's documented state, else the
    /// state observed at connect time.
    func conformanceBase(of node: NodeName) -> NodeState {
        conformance.withLock { $0.bases[node] } ?? initialStates[node]
            ?? NodeState(node: node, namespaces: ["": NamespaceState(name: nil)])
    }

    func hasConformanceBase(_ node: NodeName) -> Bool { conformance.withLock { $0.bases[node] != nil } }

    /// The names bound so far in this run (shared by every node: a peer's link-local shows on its neighbours).
    var conformanceBinding: ConformanceBinding { conformance.withLock { $0.binding } }

    func recordConformance(of node: NodeName, predicted: NodeState, binding: ConformanceBinding) {
        conformance.withLock {
            $0.bases[node] = predicted
            $0.binding = binding
        }
    }

    /// Dumps every node's state in parallel (namespace list and the default namespace in one round trip, the
    /// named namespaces in a second one when there are any) and starts the model from it.
    /// - Throws: `NodeError` when a node cannot be asked; `StateParsingError` when its answer is unreadable.
    /// - Parameter sysctls: Sysctls to read too (in every namespace), e.g. those a resume compares.
    public static func observe(
        _ channels: [NodeName: any NodeChannel], mode: StateCheckMode, sysctls: [String] = []
    ) async throws -> StateTracker {
        guard mode != .off else { return StateTracker(mode: mode, states: [:]) }
        let observed = try await withThrowingTaskGroup(of: (NodeName, NodeState).self) { group in
            for (name, connection) in channels {
                group.addTask { (name, try await observe(connection, sysctls: sysctls)) }
            }
            var result: [NodeName: NodeState] = [:]
            for try await (name, state) in group { result[name] = state }
            return result
        }
        return StateTracker(mode: mode, states: observed)
    }

    /// Every namespace of a node, dumped and read (what a run observes at connect time).
    static func observe(_ connection: any NodeChannel, sysctls: [String] = []) async throws -> NodeState {
        let defaults = StateProbe.fullDump(namespaces: [], sysctls: sysctls)
        var outputs = try await dump(defaults, on: connection)
        let listed = outputs.first { $0.query.kind == .namespaces }
        let listedNames = try listed.map { try NamespaceListParser.parse($0.text, query: $0.query.description) } ?? []
        let namespaces = try listedNames.map { text in
            guard let name = NamespaceName(text) else {
                throw StateParsingError(
                    query: "namespaces",
                    message: "\(connection.name) has a network namespace named '\(text)', which testbed cannot address")
            }
            return name
        }
        if !namespaces.isEmpty {
            let named = StateProbe.fullDump(namespaces: namespaces, sysctls: sysctls).filter { $0.namespace != nil }
            outputs += try await dump(named, on: connection)
        }
        return StateModel.from(observed: try ObservedState.parse(outputs, node: connection.name))
    }

    private static func dump(_ probes: [StateProbe], on connection: any NodeChannel) async throws -> [NodeResponse
        .StateOutput]
    {
        let request = NodeRequest.run(
            .init(script: "true", timeout: .seconds(30), stateQueries: StateProbe.queries(probes)))
        let responses = try await connection.send([request], timeout: .seconds(45))
        guard case .run(let result)? = responses.first else {
            throw StateParsingError(
                query: "state dump", message: "the agent on \(connection.name) did not run the dump")
        }
        return result.stateOutputs
    }
}
