import Testing

@testable import PlanModel

@Suite struct ScheduleTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: , b: , c: }\n", path: "t.yaml")
    }

    func plan() throws -> Plan {
        try PlanLoader.parse(
            text: """
                steps:
                  - id: one
                    blocks: [{node: a, run: "true"}, {node: b, run: "true"}]
                  - id: two
                    blocks: [{node: a, run: "true"}, {node: c, run: "true"}]
                  - id: check
                    reach: {from: b, to: [10.0.0.1]}
                  - id: three
                    barrier: true
                    blocks: [{node: b, run: "true"}, {node: c, run: "true"}]
                  - id: four
                    node: a
                    run: "true"
                """, path: "p.yaml", topology: topology)
    }

    @Test("document order: every unit is its own stage, in plan order")
    func documentOrder() throws {
        let schedule = try Schedule.make(for: plan(), mode: .document)
        #expect(schedule.stages.count == 8)
        #expect(schedule.stages.allSatisfy { $0.units.count == 1 })
        #expect(schedule.units.map(\.node) == ["a", "b", "a", "c", "b", "b", "c", "a"])
    }

    @Test("parallel order: stages break at checks and barrier steps")
    func parallelOrder() throws {
        let schedule = try Schedule.make(for: plan(), mode: .parallel)
        #expect(
            schedule.stages.map { $0.units.map { "\($0.stepIndex):\($0.node)" } } == [
                ["0:a", "0:b", "1:a", "1:c"], ["2:b"], ["3:b", "3:c"], ["4:a"],
            ])
        #expect(schedule.stages.map(\.isBarrier) == [false, true, true, false])
    }

    @Test("parallel order: consecutive reach checks share one barrier stage; an expect check does not join it")
    func consecutiveChecks() throws {
        let plan = try PlanLoader.parse(
            text: """
                steps:
                  - {node: a, run: "true"}
                  - reach: {from: a, to: [10.0.0.1]}
                  - reach: {from: b, to: [10.0.0.2]}
                  - reach: {from: c, to: [10.0.0.3]}
                  - expect: {node: a, run: "true"}
                  - reach: {from: b, to: [10.0.0.2]}
                  - {node: b, run: "true"}
                """, path: "p.yaml", topology: topology)
        let schedule = try Schedule.make(for: plan, mode: .parallel)
        #expect(schedule.stages.map { $0.units.map(\.stepIndex) } == [[0], [1, 2, 3], [4], [5], [6]])
        #expect(try Schedule.make(for: plan, mode: .document).stages.count == 7)
    }

    @Test("--from/--to select a slice by id or number; unknown ids are refused with the list")
    func slices() throws {
        let plan = try plan()
        let slice = try Schedule.make(for: plan, mode: .document, from: "two", to: "3")
        #expect(Set(slice.units.map(\.stepIndex)) == [1, 2])
        #expect(slice.stepRange == 1...2)
        #expect(throws: InputError.self) { try Schedule.make(for: plan, mode: .document, from: "nine") }
        do {
            _ = try Schedule.make(for: plan, mode: .document, to: "x")
        } catch {
            #expect(error.message == "--to names no step of this plan: 'x'")
            #expect(error.hint == "use a step id or a number from 1 to 5; ids: one, two, check, three, four")
        }
        #expect(throws: InputError.self) { try Schedule.make(for: plan, mode: .document, from: "four", to: "one") }
    }
}
