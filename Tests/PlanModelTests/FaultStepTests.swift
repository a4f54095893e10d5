import PlanModel
import Testing

@Suite("fault steps in plans")
struct FaultStepTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(
            text: """
                name: faultlab
                nodes:
                  a: {interfaces: {eth1: {addresses: [10.0.0.1/24]}}}
                  b: {interfaces: {eth1: {addresses: [10.0.0.2/24]}}}
                  c: {interfaces: {eth1: {addresses: [10.0.0.3/24]}}}
                links:
                  - endpoints: ["a:eth1", "b:eth1", "c:eth1"]
                """, path: "faultlab.yaml")
    }

    static let plan = """
        steps:
          - {id: f1, fault: {link_down: "a:eth1"}}
          - {id: f2, fault: {link_up: {segment: "a:eth1"}}}
          - {id: f3, fault: {netem: {interface: "b:eth1", delay_ms: 100, jitter_ms: 10, loss_percent: 2.5, rate: 1mbit}}}
          - {id: f4, fault: {netem: {interface: "b:eth1", off: true}}}
          - {id: f5, fault: {partition: {segment: "a:eth1", groups: [[a], [b, c]]}}}
          - {id: f6, fault: {pause: {node: c, service: qspn}}}
          - {id: f7, fault: {kill: b}}
          - {id: f8, fault: heal}
          - {id: f9, node: a, run: "true"}
        """

    @Test("every fault kind is read, written back by PlanYAMLWriter and read again into the same plan")
    func roundTrip() throws {
        let plan = try PlanLoader.parse(text: Self.plan, path: "faults.yaml", topology: topology)
        #expect(
            plan.steps.map(\.title) == [
                "link down a:eth1", "link up the segment of a:eth1",
                "netem b:eth1 delay 100ms 10ms loss 2.5% rate 1mbit",
                "netem b:eth1 off", "partition of the segment of a:eth1: a | b c", "pause service qspn on c",
                "kill node b", "heal every fault", "a: true",
            ])
        let written = PlanYAMLWriter.write(plan, topology: topology)
        let again = try PlanLoader.parse(text: written, path: "again.yaml", topology: topology)
        #expect(again.withoutLocations() == plan.withoutLocations(), "\(written)")
    }

    @Test("fault steps are barriers of their own in parallel order, under the node they act on")
    func scheduledAsBarriers() throws {
        let plan = try PlanLoader.parse(
            text: """
                steps:
                  - {id: one, blocks: [{node: a, run: "true"}, {node: b, run: "true"}]}
                  - {id: cut, fault: {link_down: "c:eth1"}}
                  - {id: two, blocks: [{node: a, run: "true"}, {node: b, run: "true"}]}
                """, path: "p.yaml", topology: topology)
        let schedule = try Schedule.make(for: plan, mode: .parallel)
        #expect(
            schedule.stages.map { $0.units.map(\.description) } == [
                ["step 1 block 1 on a", "step 1 block 2 on b"], ["step 2 on c"],
                ["step 3 block 1 on a", "step 3 block 2 on b"],
            ])
        #expect(schedule.stages[1].isBarrier)
    }

    @Test("a partition naming a node twice, or one off the segment, is a located error")
    func badPartition() throws {
        #expect(throws: InputErrors.self) {
            try PlanLoader.parse(
                text: "steps:\n  - {id: p, fault: {partition: {segment: \"a:eth1\", groups: [[a, b], [b]]}}}\n",
                path: "p.yaml", topology: topology)
        }
        do {
            _ = try PlanLoader.parse(
                text: "steps:\n  - {id: p, fault: {partition: {segment: \"a:eth1\", groups: [[a, b], [b]]}}}\n",
                path: "p.yaml", topology: topology)
        } catch {
            #expect(error.errors.map(\.message) == ["node 'b' is in two groups"])
            #expect(error.errors.first?.location.column == 70)
        }
    }
}
