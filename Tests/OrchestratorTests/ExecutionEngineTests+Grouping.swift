import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

/// A node's consecutive reach checks of one stage in one ping request (`ReachGrouping`), judged one by one.
extension ExecutionEngineTests {
    static let threeChecks = """
        steps:
          - blocks: [{node: a, run: a1}]
          - id: near
            reach: {from: a, to: [10.0.0.1, 10.0.0.2]}
          - id: far
            reach: {from: a, to: [10.0.0.3, 10.0.0.1]}
          - id: other
            reach: {from: b, to: [10.0.0.1]}
          - id: quiet
            reach: {from: a, to: [10.0.0.4], expect: unreachable}
          - blocks: [{node: a, run: a2}]
        """

    /// Every address answers but `silent`.
    static func answering(but silent: Set<String>) -> @Sendable (NodeName, NodeRequest) async -> NodeResponse {
        { _, request in
            guard case .ping(let ping) = request else { return ran() }
            return .ping(
                .init(targets: ping.addresses.map { .init(address: $0, exitStatus: silent.contains($0) ? 1 : 0) }))
        }
    }

    @Test("a node's checks of one stage are one ping request of their addresses, each check judged on its own")
    func groupedChecksShareOnePing() async throws {
        let report = try await run(plan(Self.threeChecks), mode: .parallel, handler: Self.answering(but: ["10.0.0.4"]))
        #expect(report.succeeded, "\(report.results.compactMap(\.message))")
        let pings = log.all.filter { $0.hasPrefix("start ping") }
        #expect(pings.sorted() == ["start ping 10.0.0.1", "start ping 10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4"])
        #expect(report.results.map(\.stepID) == ["s1", "near", "far", "other", "quiet", "s6"])
        #expect(report.results[2].pings.map(\.address) == ["10.0.0.3", "10.0.0.1"])
        #expect(report.results[4].pings.map(\.reachable) == [false])
        #expect(report.results.compactMap(\.timing?.groupedChecks) == [3])
    }

    @Test("the first failing check of a group is reported as alone; the group's later checks are skipped")
    func groupedFailureIsExact() async throws {
        let plan = try plan(Self.threeChecks)
        var outcomes: [[String]] = []
        for grouped in [true, false] {
            log.clear()
            let report = try await run(
                plan, mode: .parallel, keepGoing: true, groupsChecks: grouped,
                handler: Self.answering(but: ["10.0.0.3", "10.0.0.4"]))
            outcomes.append(report.results.map { "\($0.stepID) \($0.status) \($0.message ?? "-")" })
            #expect(log.index(of: "start a2") == nil, "a failed: its later block does not run")
        }
        #expect(
            outcomes[0] == [
                "s1 passed -", "near passed -", "far failed from a: no answer from 10.0.0.3", "other passed -",
                "quiet skipped -", "s6 skipped -",
            ])
        #expect(outcomes[0] == outcomes[1], "one request per check gives the same results")
    }
}
