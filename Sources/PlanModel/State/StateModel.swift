/// The kernel-state model's entry points: run commands and blocks against a node's state.
///
/// Per block, the orchestrator calls `predict(block:from:)` before sending it, asks the agent for
/// `BlockPrediction.probes` in the same round trip, parses the outputs into a `NodeState` (NodeAgentProtocol's
/// `ObservedState`), and compares with `StateComparison.differences(predicted:observed:probes:)`.
public enum StateModel {
    /// Runs one command's text in a namespace of the node (nil: the default one) and returns what it does.
    public static func run(_ text: String, namespace: String? = nil, on state: inout NodeState) -> CommandOutcome {
        var interpreter = CommandInterpreter(state: state)
        let outcome = interpreter.run(text, namespace: namespace)
        state = interpreter.state
        if case .notModelled(let unknown) = outcome { state.forget(unknown.scope, in: namespace) }
        return outcome
    }

    /// Runs a block with `set -e` semantics (the agent's stop-at-first-failure): commands after the first
    /// failing one do not run — unless a `set +e` line turned that off, as bash does; then the block fails only
    /// when its last command fails.
    /// - Parameter failedLine: When the real block stopped at this 1-based script line, the command on it is
    ///   taken as failed and nothing after it runs, whatever the model says (to predict the state the agent
    ///   left).
    public static func evaluate(_ block: NodeBlock, from state: NodeState, failedLine: Int? = nil) -> BlockEvaluation {
        var current = state
        var results: [CommandResult] = []
        if let netns = block.netns, current.namespace(netns.rawValue) == nil, !current.unknown.contains(.namespaces) {
            let failure = CommandFailure(
                reason: "netns \(netns) does not exist (the agent cannot enter it)",
                toolMessage: "network namespace '\(netns)' does not exist on this node", exitStatus: 255,
                missing: .namespace(netns.rawValue))
            let commands = block.commands
            if let first = commands.first { results.append(CommandResult(command: first, outcome: .failure(failure))) }
            return BlockEvaluation(state: current, results: results, stoppedAt: commands.isEmpty ? nil : 0)
        }
        var stopsAtFailure = true
        var lastFailed: Int?
        for (index, command) in block.commands.enumerated() {
            // `set +e` / `set -e` lines turn bash's stop-at-first-failure off and on, in the agent as here.
            if let words = ShellWords.split(command.text), words.first == "set", !words.contains(where: { $0 == ";" }),
                let errexit = ShellWords.errexit(words)
            {
                stopsAtFailure = errexit
            }
            let lastLine = command.firstLine + command.lineCount - 1
            if let failedLine, failedLine >= command.firstLine, failedLine <= lastLine {
                let forced = CommandFailure(reason: "the command failed on the node", toolMessage: "", exitStatus: 1)
                var probe = current
                let outcome = run(command.text, namespace: block.netns?.rawValue, on: &probe)
                results.append(CommandResult(command: command, outcome: outcome.isFailure ? outcome : .failure(forced)))
                return BlockEvaluation(state: current, results: results, stoppedAt: index)
            }
            let outcome = run(command.text, namespace: block.netns?.rawValue, on: &current)
            results.append(CommandResult(command: command, outcome: outcome))
            lastFailed = outcome.isFailure ? index : nil
            if outcome.isFailure && stopsAtFailure {
                return BlockEvaluation(state: current, results: results, stoppedAt: index)
            }
        }
        // Without set -e the block ends with the status of its last command.
        return BlockEvaluation(state: current, results: results, stoppedAt: lastFailed)
    }

    /// What running a block should do: the predicted state after it and the state queries that cover every
    /// part of the node it could touch.
    public static func predict(block: NodeBlock, from state: NodeState, failedLine: Int? = nil) -> BlockPrediction {
        let evaluation = evaluate(block, from: state, failedLine: failedLine)
        return BlockPrediction(
            before: state, evaluation: evaluation,
            probes: StateProbe.covering(block, before: state, after: evaluation.state))
    }

    /// The model of a node started from its observed state (a dump of every namespace, at connect time), so a
    /// lab or VM that is not fresh is handled. Tables without routes may exist in the kernel: their
    /// existence is left open.
    public static func from(observed: NodeState) -> NodeState {
        var state = observed
        for key in state.namespaces.keys {
            state.namespaces[key]?.tablesKnown = false
        }
        return state
    }
}

/// One command and what the model says it does.
public struct CommandResult: Sendable, Hashable, Codable {
    public var command: Command
    public var outcome: CommandOutcome
}

/// A block run through the model.
public struct BlockEvaluation: Sendable, Hashable, Codable {
    /// The state after the block (after its last command that ran).
    public var state: NodeState
    /// One result per command that ran, in order.
    public var results: [CommandResult]
    /// The index (in `NodeBlock.commands`) of the command that failed and stopped the block (after `set +e`:
    /// the last command, when it failed).
    public var stoppedAt: Int?

    public var failure: CommandResult? { stoppedAt.map { results[$0] } }

    public var notModelled: [CommandResult] {
        results.filter { if case .notModelled = $0.outcome { true } else { false } }
    }
}

/// The model's expectation for one block.
public struct BlockPrediction: Sendable, Hashable, Codable {
    public var before: NodeState
    public var evaluation: BlockEvaluation
    /// What to ask the agent for after the block (namespace × kind).
    public var probes: [StateProbe]

    /// The predicted state after the block.
    public var after: NodeState { evaluation.state }
}

extension NodeState {
    /// Marks what a not-modelled command may have changed as unknown.
    public mutating func forget(_ scope: UnknownScope, in namespace: String?) {
        switch scope {
        case .nothing:
            break
        case .aspects(let aspects, let name):
            let key = NodeState.key(name ?? namespace)
            namespaces[key]?.unknown.formUnion(aspects)
        case .node(let aspects):
            unknown.formUnion(aspects)
        case .everything:
            forgetEverything()
        }
    }
}
