/// Runs a plan through the model, offline, from a given state per node (a fresh lab node by default), and
/// reports every command that would fail and every command the model does not know.
///
/// Each node's blocks run in plan order with `set -e`: after a failing command the rest of its block does
/// not run. Later blocks still run (from the state the failure left), so one pass reports every problem.
public struct PlanChecker: Sendable {
    public let topology: Topology
    public var initialStates: [NodeName: NodeState]

    public init(topology: Topology, initialStates: [NodeName: NodeState] = [:]) {
        self.topology = topology
        self.initialStates = initialStates
    }

    /// The state a node starts from: the one given, else a fresh lab node.
    public func initialState(of node: NodeName) -> NodeState {
        if let state = initialStates[node] { return state }
        if let topologyNode = topology.nodes[node] { return .freshLabNode(topologyNode) }
        return NodeState(node: node, namespaces: ["": NamespaceState(name: nil)])
    }

    public func check(_ plan: Plan) -> CheckReport {
        var states: [NodeName: NodeState] = [:]
        for node in Set(plan.nodes).union(initialStates.keys) { states[node] = initialState(of: node) }
        var findings: [CheckFinding] = []
        for step in plan.steps {
            switch step.action {
            case .blocks(let blocks):
                for block in blocks {
                    run(block, step: step, states: &states, findings: &findings, expectSuccess: true)
                }
            case .expect(let check):
                run(check.block, step: step, states: &states, findings: &findings, expectSuccess: check.status == 0)
            case .reach(let check):
                guard let netns = check.netns, let state = states[check.node] else { continue }
                if state.namespace(netns.rawValue) == nil && !state.unknown.contains(.namespaces) {
                    let location = check.originalLines.first?.location ?? step.location
                    findings.append(
                        CheckFinding(
                            kind: .wouldFail, node: check.node, step: step.id, stepTitle: step.title,
                            command: check.originalLines.map(\.text).joined(separator: "\n"), location: location,
                            message: "netns \(netns) does not exist, so the reach check cannot run there",
                            toolMessage: nil, missing: .namespace(netns.rawValue)))
                }
            case .service(let service):
                // A service changes the kernel on its own, at its own time: from here on the model knows nothing
                // of its node (conformance checks compare such nodes with documented state instead).
                guard case .start = service.action else { continue }
                states[service.node, default: initialState(of: service.node)].forgetEverything()
                findings.append(
                    CheckFinding(
                        kind: .notModelled, node: service.node, step: step.id, stepTitle: step.title,
                        command: "service \(service.name)", location: step.location,
                        message:
                            "service \(service.name) runs a program the model does not know; \(service.node) is now unknown",
                        toolMessage: nil, missing: nil))
            case .wait, .conform, .fault:
                continue
            }
        }
        return CheckReport(findings: findings, finalStates: states)
    }

    private func run(
        _ block: NodeBlock, step: Step, states: inout [NodeName: NodeState], findings: inout [CheckFinding],
        expectSuccess: Bool
    ) {
        let state = states[block.node] ?? initialState(of: block.node)
        let evaluation = StateModel.evaluate(block, from: state)
        for result in evaluation.results {
            switch result.outcome {
            case .success:
                continue
            case .failure(let failure):
                guard expectSuccess else { continue }
                findings.append(
                    CheckFinding(
                        kind: .wouldFail, node: block.node, step: step.id, stepTitle: step.title,
                        command: result.command.text,
                        location: result.command.location, message: failure.reason, toolMessage: failure.toolMessage,
                        missing: failure.missing,
                        skippedCommands: block.commands.count - evaluation.results.count))
            case .notModelled(let unknown):
                findings.append(
                    CheckFinding(
                        kind: .notModelled, node: block.node, step: step.id, stepTitle: step.title,
                        command: result.command.text, location: result.command.location,
                        message: "\(unknown.reason); \(unknown.scope) is now unknown", toolMessage: nil, missing: nil))
            }
        }
        states[block.node] = evaluation.state
    }
}

/// What `PlanChecker` found.
public struct CheckReport: Sendable, Hashable, Codable {
    public var findings: [CheckFinding]
    /// Each node's state after the plan (as far as the model knows it).
    public var finalStates: [NodeName: NodeState]

    public var failures: [CheckFinding] { findings.filter { $0.kind == .wouldFail } }
    public var notModelled: [CheckFinding] { findings.filter { $0.kind == .notModelled } }
    public var hasFailures: Bool { findings.contains { $0.kind == .wouldFail } }
}

/// One command `check` reports.
public struct CheckFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case wouldFail = "error"
        case notModelled = "not modelled"
    }

    public var kind: Kind
    public var node: NodeName
    public var step: String
    public var stepTitle: String
    public var command: String
    public var location: InputLocation
    /// Why it fails, or what is not modelled and what became unknown.
    public var message: String
    /// What the real tool would print.
    public var toolMessage: String?
    public var missing: Prerequisite?
    /// Commands of the block that would not run after this failure (`set -e`).
    public var skippedCommands: Int

    public init(
        kind: Kind, node: NodeName, step: String, stepTitle: String, command: String, location: InputLocation,
        message: String, toolMessage: String?, missing: Prerequisite?, skippedCommands: Int = 0
    ) {
        self.kind = kind
        self.node = node
        self.step = step
        self.stepTitle = stepTitle
        self.command = command
        self.location = location
        self.message = message
        self.toolMessage = toolMessage
        self.missing = missing
        self.skippedCommands = skippedCommands
    }

    /// ```
    /// plans/x.yaml:14: error: beta, step 'arc': ip route change 10.0.0.20/31 table ntk … would fail:
    ///     route 10.0.0.20/31 does not exist in table ntk (251) of netns migr01
    ///     (the command would print: RTNETLINK answers: No such file or directory)
    ///     3 later commands of the block would not run (set -e)
    /// ```
    public var description: String {
        let head = "\(location.fileAndLine): \(kind.rawValue): \(node), step '\(step)': \(command)"
        switch kind {
        case .wouldFail:
            var text = head + " would fail:\n    \(message)"
            if let toolMessage, !toolMessage.isEmpty { text += "\n    (the command would print: \(toolMessage))" }
            if skippedCommands > 0 {
                text +=
                    "\n    \(skippedCommands) later command\(skippedCommands == 1 ? "" : "s") of the block would not run (set -e)"
            }
            return text
        case .notModelled:
            return head + "\n    \(message)"
        }
    }
}
