import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

/// The engine against nodes in memory: ordering, failures, keep-going, interrupts, checks. No bash, no sleeps.
@Suite(.timeLimit(.minutes(1)))
struct ExecutionEngineTests {
    let topology: Topology
    let log = EventLog()

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: , b: , c: }\n", path: "t.yaml")
    }

    func plan(_ text: String) throws -> Plan { try PlanLoader.parse(text: text, path: "p.yaml", topology: topology) }

    /// A run result: status 0, or the given status at script line 1.
    static func ran(_ status: Int32 = 0, stdout: String = "", stderr: String = "") -> NodeResponse {
        .run(
            NodeResponse.RunResult(
                exitStatus: status, failedLine: status == 0 ? nil : 1, failedStatus: status == 0 ? nil : status,
                stdout: Array(stdout.utf8), stderr: Array(stderr.utf8)))
    }

    func run(
        _ plan: Plan, mode: Schedule.Mode, keepGoing: Bool = false, stop: StopSignal = StopSignal(),
        observers: [any RunObserver] = [], tracker: StateTracker? = nil, groupsChecks: Bool = true,
        handler: @escaping @Sendable (NodeName, NodeRequest) async -> NodeResponse = { _, _ in ran() }
    ) async throws -> RunReport {
        let nodes: [NodeName] = ["a", "b", "c"]
        var options = RunOptions(keepGoing: keepGoing, blockTimeout: .seconds(20))
        options.groupsReachChecks = groupsChecks
        let engine = ExecutionEngine(
            plan: plan, topologyName: "t", schedule: try Schedule.make(for: plan, mode: mode),
            channels: ScriptedNode.fleet(nodes, log: log, handler: handler), order: nodes,
            options: options, stop: stop, tracker: tracker)
        return await engine.run(observers: observers, setupSeconds: 0, journalPath: nil)
    }

    static let twoThenCheck = """
        steps:
          - blocks: [{node: a, run: a1}, {node: b, run: b1}]
          - reach: {from: c, to: [127.0.0.1]}
          - blocks: [{node: c, run: c1}]
        """

    @Test("parallel order runs different nodes at once and holds everything after a check")
    func parallelOverlaps() async throws {
        let meeting = Rendezvous()
        let report = try await run(plan(Self.twoThenCheck), mode: .parallel) { _, request in
            let label = ScriptedNode.label(request)
            await meeting.arrive(label)
            // a1 finishes only once b1 has started: possible only if both run at the same time.
            if label == "a1", await !meeting.wait(for: "b1") { return Self.ran(99, stderr: "b1 never started") }
            if case .ping(let ping) = request {
                return .ping(.init(targets: ping.addresses.map { .init(address: $0, exitStatus: 0) }))
            }
            return Self.ran()
        }
        #expect(report.succeeded, "\(report.results.compactMap(\.message))")
        let order = log.all
        let (endA, endB) = (try #require(log.index(of: "end a1")), try #require(log.index(of: "end b1")))
        let ping = try #require(log.index(of: "start ping 127.0.0.1"))
        let c1 = try #require(log.index(of: "start c1"))
        #expect(ping > max(endA, endB), "the check waits for a1 and b1: \(order)")
        #expect(c1 > (log.index(of: "end ping 127.0.0.1") ?? .max), "c1 waits for the check: \(order)")
    }

    @Test("document order runs every unit alone, in plan order")
    func documentSequential() async throws {
        let report = try await run(plan(Self.twoThenCheck), mode: .document) { _, request in
            if case .ping(let ping) = request {
                return .ping(.init(targets: ping.addresses.map { .init(address: $0, exitStatus: 0) }))
            }
            return Self.ran()
        }
        #expect(report.succeeded)
        #expect(
            log.all == [
                "start a1", "end a1", "start b1", "end b1", "start ping 127.0.0.1", "end ping 127.0.0.1", "start c1",
                "end c1",
            ])
    }

    @Test("the first failing command is reported with its plan line; later units are skipped")
    func failureStops() async throws {
        let plan = try plan(
            """
            steps:
              - id: first
                node: a
                run: |
                  true
                  echo oops >&2; false
                  echo never
              - id: second
                node: b
                run: second
            """)
        let report = try await run(plan, mode: .document) { _, request in
            guard case .run(let run) = request, run.script.hasPrefix("true") else { return Self.ran() }
            return .run(.init(exitStatus: 1, failedLine: 2, failedStatus: 1, stderr: Array("oops\n".utf8)))
        }
        #expect(!report.succeeded)
        let failed = try #require(report.results.first { $0.status == .failed })
        #expect(failed.failingCommand?.text == "echo oops >&2; false")
        #expect(failed.failingCommand?.location.line == 6)
        #expect(failed.exitStatus == 1)
        #expect(failed.stderrTail == "oops\n")
        #expect(failed.message == "`echo oops >&2; false` (p.yaml:6) exited with status 1")
        #expect(report.results.map(\.status) == [.failed, .skipped])
        #expect(log.index(of: "start second") == nil, "nothing after the failure ran")
    }

    @Test("--keep-going runs the other nodes after a failure and skips the failed node's later units")
    func keepGoing() async throws {
        let plan = try plan(
            """
            steps:
              - blocks: [{node: a, run: "false"}, {node: b, run: b1}]
              - blocks: [{node: a, run: a2}, {node: b, run: b2}]
            """)
        let report = try await run(plan, mode: .parallel, keepGoing: true) { _, request in
            ScriptedNode.label(request) == "false" ? Self.ran(1) : Self.ran()
        }
        #expect(report.results.map(\.status) == [.failed, .passed, .skipped, .passed])
        #expect(log.index(of: "start a2") == nil)
        #expect(log.index(of: "start b2") != nil)
    }

    @Test("a reach check fails naming the silent address; one expecting silence fails when answered")
    func reachChecks() async throws {
        let plan = try plan(
            """
            steps:
              - reach: {from: a, netns: ns1, to: [10.0.0.1, 10.0.0.2]}
              - reach: {from: b, to: [10.0.0.1], expect: unreachable}
              - reach: {from: c, to: [10.0.0.1, 10.0.0.2], expect: unreachable}
            """)
        let report = try await run(plan, mode: .document, keepGoing: true) { node, request in
            guard case .ping(let ping) = request else { return Self.ran() }
            // 10.0.0.1 answers everyone, 10.0.0.2 nobody.
            return .ping(
                .init(targets: ping.addresses.map { .init(address: $0, exitStatus: $0 == "10.0.0.1" ? 0 : 1) }))
        }
        #expect(report.results.map(\.status) == [.failed, .failed, .failed])
        #expect(report.results[0].message == "from a (netns ns1): no answer from 10.0.0.2")
        #expect(report.results[1].message == "from b: 10.0.0.1 answered, but the check expects no answer")
        #expect(report.results[0].pings.map(\.reachable) == [true, false])
    }

    @Test("an agent that refuses a request fails the unit with its message")
    func refusal() async throws {
        let report = try await run(plan("steps:\n  - {node: a, netns: gone, run: x}\n"), mode: .document) { _, _ in
            .failure("network namespace 'gone' does not exist on this node")
        }
        #expect(report.results.map(\.status) == [.failed])
        #expect(report.results[0].message?.contains("network namespace 'gone' does not exist") == true)
    }

    /// Requests a stop as soon as the first unit has started (what a Ctrl-C during a block does).
    final class StopWhenStarted: RunObserver {
        let stop: StopSignal
        init(_ stop: StopSignal) { self.stop = stop }
        func handle(_ event: RunEvent) {
            if case .unitStarted = event { stop.request("test") }
        }
    }

    @Test("a stop request lets the running block finish, runs nothing else and marks the report interrupted")
    func interrupt() async throws {
        let stop = StopSignal()
        let plan = try plan("steps:\n  - {node: a, run: first}\n  - {node: b, run: second}\n")
        let report = try await run(plan, mode: .document, stop: stop, observers: [StopWhenStarted(stop)])
        #expect(report.interrupted)
        #expect(!report.succeeded)
        #expect(report.results.map(\.status) == [.passed, .skipped])
        #expect(log.all == ["start first", "end first"])
    }

    @Test("expect checks compare status and output")
    func expectChecks() async throws {
        let plan = try plan(
            """
            steps:
              - expect: {node: a, run: "echo hello world", stdout_contains: hello, stdout_matches: "w.rld"}
              - expect: {node: a, run: "echo hello", stdout_excludes: hello, status: 3}
            """)
        let report = try await run(plan, mode: .document, keepGoing: true) { _, request in
            guard case .run(let run) = request else { return Self.ran() }
            return Self.ran(stdout: String(run.script.dropFirst(5)) + "\n")
        }
        #expect(report.results.map(\.status) == [.passed, .failed])
        #expect(report.results[1].message == "status 0, expected 3; stdout contains 'hello'")
    }
}
