import PlanModel
import Testing

@testable import Orchestrator

/// Which reach checks share one ping request, and how the state machine starts and ends such groups. Pure.
@Suite struct ReachGroupingTests {
    let plan: Plan

    init() throws {
        let topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: , b: }\n", path: "t.yaml")
        plan = try PlanLoader.parse(
            text: """
                steps:
                  - blocks: [{node: a, run: "1"}]
                  - reach: {from: a, to: [10.0.0.1]}
                  - reach: {from: b, to: [10.0.0.2]}
                  - reach: {from: a, to: [10.0.0.3, 10.0.0.1]}
                  - reach: {from: a, to: [10.0.0.4], expect: unreachable}
                  - reach: {from: a, to: [10.0.0.5], count: 3}
                  - reach: {from: a, to: [10.0.0.6], count: 3}
                  - reach: {from: a, to: [10.0.0.7], count: 3, retry: {timeout_ms: 1000, interval_ms: 10}}
                  - reach: {from: a, netns: ns1, to: [10.0.0.8], count: 3}
                  - blocks: [{node: a, run: "2"}]
                  - reach: {from: a, to: [10.0.0.9]}
                """, path: "p.yaml", topology: topology)
    }

    func unit(_ step: Int, _ node: NodeName = "a") -> Schedule.Unit {
        Schedule.Unit(stepIndex: step - 1, blockIndex: nil, node: node)
    }

    @Test("a node's consecutive checks of one stage join; another count, a retry, a namespace or a block do not")
    func joinsInParallelOrder() throws {
        let joins = ReachGrouping.joins(plan: plan, schedule: try Schedule.make(for: plan, mode: .parallel))
        // Steps 2–9 are one stage (consecutive checks); b's check 3 sits between a's 2 and 4 without breaking them.
        #expect(joins == [unit(4), unit(5), unit(7)])
    }

    @Test("document order puts every unit in its own stage: nothing joins")
    func nothingInDocumentOrder() throws {
        #expect(ReachGrouping.joins(plan: plan, schedule: try Schedule.make(for: plan, mode: .document)).isEmpty)
    }

    func machine(keepGoing: Bool = false) throws -> RunStateMachine {
        let schedule = try Schedule.make(for: plan, mode: .parallel)
        return RunStateMachine(
            schedule: schedule, keepGoing: keepGoing, joins: ReachGrouping.joins(plan: plan, schedule: schedule))
    }

    @Test("the machine starts a node's joined checks as one group, and the next group once it is over")
    func groupsStartTogether() throws {
        var machine = try machine()
        let block = machine.takeRunnableGroups()
        #expect(block == [[Schedule.Unit(stepIndex: 0, blockIndex: 0, node: "a")]])
        machine.finish(block[0][0], passed: true)
        let checks = machine.takeRunnableGroups()
        #expect(checks == [[unit(2), unit(4), unit(5)], [unit(3, "b")]])
        for group in checks { for unit in group { machine.finish(unit, passed: true) } }
        #expect(machine.takeRunnableGroups() == [[unit(6), unit(7)]])
    }

    @Test("units of a group left unjudged after a failure end skipped, and the node's later units too")
    func abandonedAfterFailure() throws {
        var machine = try machine(keepGoing: true)
        machine.finish(machine.takeRunnableGroups()[0][0], passed: true)
        let checks = machine.takeRunnableGroups()
        machine.finish(unit(2), passed: true)
        machine.finish(unit(4), passed: false)
        machine.abandon(unit(5))
        machine.finish(unit(3, "b"), passed: true)
        #expect(machine.takeRunnableGroups().isEmpty, "a failed: keep going skips a's later units, b has none")
        #expect(checks.count == 2)
        #expect(machine.states[unit(5)] == .skipped)
        #expect(machine.states[unit(6)] == .skipped)
        #expect(machine.isFinished)
        #expect(machine.isStepDone(4))
    }
}
