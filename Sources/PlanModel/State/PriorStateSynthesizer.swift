/// Synthesises the smallest prior state a plan assumes (`testbed replay`: a page describes the middle of a
/// story): the routes it changes or deletes, the table names and `rt_tables` lines it uses or removes, the
/// rules, addresses and iptables rules it deletes, the namespaces and interfaces it enters, the gateway routes
/// and local addresses its routes need.
///
/// It reasons in time. Each node's commands run through the model in page order; a command that fails for
/// lack of some state gets that state as prior state — but only when adding it before the page breaks no
/// command that ran before (an object the page creates itself is never synthesised ahead of it), and only
/// what that command needs, each piece after what it depends on (an address before the route that uses it
/// as `src`). When no plausible prior state can give what a line needs (a `change` of a route in a namespace
/// the page itself just created, a gateway whose link route the page never made), that is the page's own
/// mistake: it is recorded with the line, what it assumes and why, together with the smallest repair at that
/// point in time, for `replay --repair`.
public struct PriorStateSynthesizer: Sendable {
    public let topology: Topology
    public var initialStates: [NodeName: NodeState]
    /// Stops a node's synthesis after this many rounds.
    public var limit = 2000

    public init(topology: Topology, initialStates: [NodeName: NodeState] = [:]) {
        self.topology = topology
        self.initialStates = initialStates
    }

    public func synthesize(_ plan: Plan) -> PriorStateSynthesis {
        let checker = PlanChecker(topology: topology, initialStates: initialStates)
        var result = PriorStateSynthesis()
        result.templates = TemplateLine.find(in: plan)
        for node in plan.nodes {
            let timeline = Timeline(node: node, plan: plan)
            var work = NodeWork(node: node, fresh: checker.initialState(of: node), timeline: timeline)
            work.current = work.simulate()
            var rounds = 0
            while rounds < limit, let index = work.nextFailure() {
                rounds += 1
                resolve(index, in: &work)
            }
            result.items[node] = work.items
            result.states[node] = work.current.priorState
            result.unresolved += work.unresolved
            result.mistakes += work.mistakes
            if !work.repairs.isEmpty { result.repairs[node] = work.repairItems }
        }
        return result
    }

    /// Handles the first failing command at `index`: prior state when it is plausible, else a recorded
    /// mistake of the page with its repair.
    func resolve(_ index: Int, in work: inout NodeWork) {
        let entry = work.timeline.entries[index]
        guard case .failure(let failure) = work.current.outcomes[index] ?? .success else { return }
        guard let missing = failure.missing, work.tried.insert("\(index)|\(missing)").inserted else {
            work.settle(index, failure: failure)
            return
        }
        var priorState = work.current.priorState
        let why: String
        switch commands(for: missing, node: work.node, state: &priorState) {
        case .success(let made):
            let trial = work.simulate(prior: work.prior + made)
            if let broken = trial.firstBreak(comparedWith: work.current, timeline: work.timeline) {
                why = "as prior state it would make \(broken)"
            } else if trial.fails(at: index, for: missing) {
                why = "it is still missing there after it is added before the page"
            } else {
                work.accept(prior: made, for: entry, trial: trial)
                return
            }
        case .failure(let refusal):
            why = refusal.reason
        }
        let what = missing.describe(tables: work.current.before[index].rtTables)
        var here = work.current.before[index]
        var repair: [SynthesisCommand]?
        if case .success(let made) = commands(for: missing, node: work.node, state: &here), !made.isEmpty {
            var repairs = work.repairs
            repairs[index, default: []] += made
            let trial = work.simulate(repairs: repairs)
            if trial.firstBreak(comparedWith: work.current, timeline: work.timeline) == nil,
                !trial.fails(at: index, for: missing)
            {
                work.repairs = repairs
                work.current = trial
                repair = made
            }
        }
        if !failure.isSoft {
            work.mistakes.append(
                DocumentationMistake(
                    node: work.node, step: entry.stepID, command: entry.command.text, location: entry.command.location,
                    assumes: what, reason: why, repair: repair?.map(\.rendered)))
        }
        if repair == nil { work.settled.insert(index) }
    }
}

extension CommandFailure {
    /// A "failure" only the synthesis sees: a `sed` that deletes an `rt_tables` line which is not there
    /// succeeds on the system.
    var isSoft: Bool { exitStatus == 0 }
}
