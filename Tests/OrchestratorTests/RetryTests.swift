import Foundation
import NodeAgentProtocol
import PlanModel
import Synchronization
import Testing

@testable import Orchestrator

/// Checks that wait for a condition: retried until they hold, with the attempts and convergence reported.
@Suite struct RetryTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: }\n", path: "t.yaml")
    }

    /// Runs `yaml` against a node whose pings answer from the `answersFrom`-th attempt on.
    func run(_ yaml: String, answersFrom: Int) async throws -> (RunReport, Int) {
        let plan = try PlanLoader.parse(text: yaml, path: "p.yaml", topology: topology)
        let attempts = Mutex(0)
        let channels = ScriptedNode.fleet(["a"], log: EventLog()) { _, request in
            guard case .ping(let ping) = request else { return .failure("unexpected") }
            let attempt = attempts.withLock { count in
                count += 1
                return count
            }
            let status: Int32 = attempt >= answersFrom ? 0 : 1
            return .ping(.init(targets: ping.addresses.map { .init(address: $0, exitStatus: status) }))
        }
        let engine = ExecutionEngine(
            plan: plan, topologyName: "t", schedule: try Schedule.make(for: plan, mode: .document), channels: channels,
            order: ["a"], options: RunOptions(), stop: StopSignal())
        let report = await engine.run(observers: [], setupSeconds: 0, journalPath: nil)
        return (report, attempts.withLock { $0 })
    }

    // Generous timeouts: the tests count attempts; a loaded machine must not make them fail.
    static let retried = "steps:\n  - reach: {from: a, to: [10.0.0.1], retry: {timeout_ms: 120000, interval_ms: 1}}\n"
    static let once = "steps:\n  - reach: {from: a, to: [10.0.0.1]}\n"

    @Test("a check that holds only from its third attempt passes with a retry policy and says so")
    func passesWithRetry() async throws {
        let (report, attempts) = try await run(Self.retried, answersFrom: 3)
        #expect(report.succeeded)
        #expect(attempts == 3)
        let result = try #require(report.results.first)
        #expect(result.attempts == 3)
        #expect(result.convergedAfter != nil)
        #expect(result.lastFailedAttempt == "from a: no answer from 10.0.0.1")
    }

    @Test("without a retry policy the same check fails at once")
    func failsWithoutRetry() async throws {
        let (report, attempts) = try await run(Self.once, answersFrom: 3)
        #expect(!report.succeeded)
        #expect(attempts == 1)
        #expect(report.results.first?.attempts == 1)
    }

    @Test("a check that never holds fails at the timeout with the last failing attempt")
    func timesOut() async throws {
        let yaml = "steps:\n  - reach: {from: a, to: [10.0.0.1], retry: {timeout_ms: 50, interval_ms: 10}}\n"
        let (report, attempts) = try await run(yaml, answersFrom: .max)
        #expect(!report.succeeded)
        #expect(attempts > 1)
        let message = try #require(report.results.first?.message)
        #expect(message.hasPrefix("did not hold within "), "\(message)")
        #expect(message.hasSuffix("attempts): from a: no answer from 10.0.0.1"), "\(message)")
    }

    @Test("consecutive passes: a condition must hold several times in a row")
    func consecutive() async throws {
        let yaml =
            "steps:\n  - reach: {from: a, to: [10.0.0.1], retry: {timeout_ms: 120000, interval_ms: 1, consecutive: 3}}\n"
        let (report, attempts) = try await run(yaml, answersFrom: 2)
        #expect(report.succeeded)
        #expect(attempts == 4, "one failing attempt, then three passes in a row")
    }

    @Test("a retry without a timeout is refused at load, located")
    func retryNeedsTimeout() {
        #expect {
            _ = try PlanLoader.parse(
                text: "steps:\n  - reach: {from: a, to: [10.0.0.1], retry: {interval_ms: 5}}\n", path: "p.yaml",
                topology: topology)
        } throws: { error in
            "\(error)".hasPrefix("p.yaml:2:45: error: 'retry' has no 'timeout_ms'")
        }
    }
}
