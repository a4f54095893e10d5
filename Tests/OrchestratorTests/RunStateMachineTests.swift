import PlanModel
import Testing

@testable import Orchestrator

@Suite struct RunStateMachineTests {
    let plan: Plan

    init() throws {
        let topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: , b: }\n", path: "t.yaml")
        plan = try PlanLoader.parse(
            text: """
                steps:
                  - blocks: [{node: a, run: "1"}, {node: b, run: "2"}, {node: a, run: "3"}]
                  - reach: {from: a, to: [10.0.0.1]}
                  - blocks: [{node: a, run: "4"}, {node: b, run: "5"}]
                """, path: "p.yaml", topology: topology)
    }

    func machine(_ mode: Schedule.Mode, keepGoing: Bool = false) throws -> RunStateMachine {
        RunStateMachine(schedule: try Schedule.make(for: plan, mode: mode), keepGoing: keepGoing)
    }

    @Test("parallel: one unit per node at a time; the check waits for the whole stage")
    func parallelProgress() throws {
        var machine = try machine(.parallel)
        let first = machine.takeRunnable()
        #expect(first.map(\.node) == ["a", "b"])
        #expect(machine.takeRunnable().isEmpty, "a is busy with its first block, b has nothing else")
        machine.finish(first[0], passed: true)
        let second = machine.takeRunnable()
        #expect(second.map { "\($0.stepIndex):\($0.blockIndex ?? -1)" } == ["0:2"])
        machine.finish(first[1], passed: true)
        #expect(machine.takeRunnable().isEmpty, "the check must wait for a's second block")
        machine.finish(second[0], passed: true)
        let check = machine.takeRunnable()
        #expect(check.map(\.blockIndex) == [nil])
        machine.finish(check[0], passed: true)
        let last = machine.takeRunnable()
        #expect(last.count == 2)
        for unit in last { machine.finish(unit, passed: true) }
        _ = machine.takeRunnable()
        #expect(machine.isFinished)
        #expect(machine.states.values.allSatisfy { $0 == .passed })
    }

    @Test("document order: strictly one unit at a time")
    func documentProgress() throws {
        var machine = try machine(.document)
        var order: [String] = []
        while !machine.isFinished {
            let runnable = machine.takeRunnable()
            #expect(runnable.count <= 1)
            for unit in runnable {
                order.append("\(unit.stepIndex):\(unit.node)")
                machine.finish(unit, passed: true)
            }
        }
        #expect(order == ["0:a", "0:b", "0:a", "1:a", "2:a", "2:b"])
    }

    @Test("a failure stops the run: running units finish, nothing new starts, the rest is skipped")
    func stopOnFailure() throws {
        var machine = try machine(.parallel)
        let first = machine.takeRunnable()
        machine.finish(first[1], passed: false)
        #expect(machine.takeRunnable().isEmpty)
        #expect(!machine.isFinished, "a's block is still running")
        machine.finish(first[0], passed: true)
        _ = machine.takeRunnable()
        #expect(machine.isFinished)
        #expect(machine.states.values.filter { $0 == .skipped }.count == 4)
    }

    @Test("keep going: only the failed node's later units are skipped")
    func keepGoing() throws {
        var machine = try machine(.parallel, keepGoing: true)
        var ran: [String] = []
        while !machine.isFinished {
            for unit in machine.takeRunnable() {
                ran.append("\(unit.stepIndex):\(unit.node)")
                machine.finish(unit, passed: unit.node != "b")
            }
        }
        #expect(ran == ["0:a", "0:b", "0:a", "1:a", "2:a"])
        #expect(machine.failedNodes == ["b"])
    }

    @Test("stop() (Ctrl-C) lets running units finish and starts nothing else")
    func interrupt() throws {
        var machine = try machine(.parallel)
        let first = machine.takeRunnable()
        machine.stop()
        for unit in first { machine.finish(unit, passed: true) }
        #expect(machine.takeRunnable().isEmpty)
        #expect(machine.isFinished)
    }
}
