import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

@Suite("expect: stdout_json") struct ExpectJSONTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: }\n", path: "t.yaml")
    }

    func judge(_ expected: String, stdout: String) throws -> UnitResult {
        let plan = try PlanLoader.parse(
            text: "steps:\n  - expect: {node: a, run: ip -j route, stdout_json: \(expected)}\n", path: "p.yaml",
            topology: topology)
        guard case .expect(let check) = plan.steps[0].action else { throw CancellationError() }
        let unit = Schedule.Unit(stepIndex: 0, blockIndex: nil, node: "a")
        return ExpectJudgement.judge(
            check, unit: unit, stepID: "s1", run: .init(exitStatus: 0, stdout: Array(stdout.utf8)))
    }

    static let routes =
        #"[{"dst":"10.0.0.0/29","type":"unreachable","table":"ntk"},{"dst":"default","gateway":"169.254.1.1"}]"#

    @Test("expected JSON written as YAML is a subset of the output: passes")
    func subset() throws {
        #expect(try judge("[{dst: 10.0.0.0/29, type: unreachable}]", stdout: Self.routes).status == .passed)
        #expect(try judge("[{dst: default, metric: null}]", stdout: Self.routes).status == .passed)
    }

    @Test("a value that differs fails with the path, the expected and the found value")
    func mismatch() throws {
        let result = try judge("[{dst: default, gateway: 169.254.9.9}]", stdout: Self.routes)
        #expect(result.status == .failed)
        let message = try #require(result.message)
        #expect(
            message.hasPrefix("stdout JSON differs at $[1].gateway: expected \"169.254.9.9\", found \"169.254.1.1\""),
            "\(message)")
    }

    @Test("output that is not JSON fails, saying so")
    func notJSON() throws {
        let result = try judge("[{dst: default}]", stdout: "default via 169.254.1.1 dev eth1\n")
        #expect(result.status == .failed)
        #expect(result.message?.hasPrefix("stdout is not JSON") == true)
    }
}
