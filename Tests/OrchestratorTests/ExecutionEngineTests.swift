import Foundation
import Logging
import PlanModel
import Testing

@testable import Orchestrator

/// The engine against real bash agents started locally (no SSH, no root): ordering, failures, interrupts.
@Suite(.timeLimit(.minutes(2)))
struct ExecutionEngineTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {a: , b: , c: }\n", path: "t.yaml")
    }

    let log = NSTemporaryDirectory() + "engine-\(UUID().uuidString).log"

    func plan(_ text: String) throws -> Plan {
        try PlanLoader.parse(
            text: text.replacingOccurrences(of: "LOG", with: log), path: "p.yaml", topology: topology)
    }

    func run(
        _ plan: Plan, mode: Schedule.Mode, keepGoing: Bool = false, stop: StopSignal = StopSignal(),
        observers: [any RunObserver] = []
    ) async throws -> RunReport {
        let targets = ["a", "b", "c"].map {
            (NodeName(stringLiteral: $0), NodeTarget.local(executable: "/bin/bash", arguments: ["-c"]))
        }
        let (fleet, failures) = await Fleet.connect(targets, logger: Logger(label: "test"))
        #expect(failures.isEmpty)
        let engine = ExecutionEngine(
            plan: plan, topologyName: "t", schedule: try Schedule.make(for: plan, mode: mode), fleet: fleet,
            options: RunOptions(keepGoing: keepGoing, blockTimeout: .seconds(20)), stop: stop)
        let report = await engine.run(observers: observers, setupSeconds: 0, journalPath: nil)
        await fleet.close()
        return report
    }

    /// Intervals (start, end) of each block label, from the shared log.
    func intervals() throws -> [String: (Double, Double)] {
        var result: [String: (Double, Double)] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ")
            let time = Double(parts[2]) ?? 0
            var entry = result[String(parts[1])] ?? (0, 0)
            if parts[0] == "start" { entry.0 = time } else { entry.1 = time }
            result[String(parts[1])] = entry
        }
        return result
    }

    static let timed = """
        steps:
          - blocks:
              - {node: a, run: "echo start a1 $EPOCHREALTIME >> LOG; sleep 0.6; echo end a1 $EPOCHREALTIME >> LOG"}
              - {node: b, run: "echo start b1 $EPOCHREALTIME >> LOG; sleep 0.6; echo end b1 $EPOCHREALTIME >> LOG"}
          - reach: {from: c, to: [127.0.0.1]}
          - blocks:
              - {node: c, run: "echo start c1 $EPOCHREALTIME >> LOG; echo end c1 $EPOCHREALTIME >> LOG"}
        """

    @Test("parallel order runs different nodes at once and holds everything after a check")
    func parallelOverlaps() async throws {
        let report = try await run(plan(Self.timed), mode: .parallel)
        #expect(report.succeeded)
        let spans = try intervals()
        let (a, b, c) = (try #require(spans["a1"]), try #require(spans["b1"]), try #require(spans["c1"]))
        #expect(a.0 < b.1 && b.0 < a.1, "a1 and b1 overlap")
        #expect(c.0 > max(a.1, b.1), "c1 starts after the check, which waits for a1 and b1")
    }

    @Test("document order never overlaps two blocks")
    func documentSequential() async throws {
        let report = try await run(plan(Self.timed), mode: .document)
        #expect(report.succeeded)
        let spans = try intervals()
        let (a, b) = (try #require(spans["a1"]), try #require(spans["b1"]))
        #expect(a.1 <= b.0)
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
                  echo never >> LOG
              - id: second
                node: b
                run: echo ran >> LOG
            """)
        let report = try await run(plan, mode: .document)
        #expect(!report.succeeded)
        let failed = try #require(report.results.first { $0.status == .failed })
        #expect(failed.failingCommand?.text == "echo oops >&2; false")
        #expect(failed.failingCommand?.location.line == 6)
        #expect(failed.exitStatus == 1)
        #expect(failed.stderrTail == "oops\n")
        #expect(report.results.map(\.status) == [.failed, .skipped])
        #expect(!FileManager.default.fileExists(atPath: log), "nothing after the failure ran")
    }

    @Test("--keep-going runs the other nodes after a failure and skips the failed node's later units")
    func keepGoing() async throws {
        let plan = try plan(
            """
            steps:
              - blocks: [{node: a, run: "false"}, {node: b, run: "echo b1 >> LOG"}]
              - blocks: [{node: a, run: "echo a2 >> LOG"}, {node: b, run: "echo b2 >> LOG"}]
            """)
        let report = try await run(plan, mode: .parallel, keepGoing: true)
        #expect(report.results.map(\.status) == [.failed, .passed, .skipped, .passed])
        #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").sorted() == ["b1", "b2"])
    }

    @Test("a reach check that expects an answer fails when there is none, naming the address")
    func reachFails() async throws {
        // Only loopback is pinged: the first check fails because its namespace does not exist, the second
        // because 127.0.0.1 answers although the check expects silence.
        let plan = try plan(
            "steps:\n  - reach: {from: a, netns: nonexistent, to: [127.0.0.1]}\n  - reach: {from: b, to: [127.0.0.1], expect: unreachable}\n"
        )
        let report = try await run(plan, mode: .document, keepGoing: true)
        #expect(report.results.map(\.status) == [.failed, .failed])
        #expect(report.results[0].message?.contains("nonexistent") == true)
        #expect(report.results[1].message == "from b: 127.0.0.1 answered, but the check expects no answer")
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
        let plan = try plan(
            "steps:\n  - {node: a, run: \"sleep 0.3; echo a >> LOG\"}\n  - {node: b, run: \"echo b >> LOG\"}\n")
        let finished = try await run(plan, mode: .document, stop: stop, observers: [StopWhenStarted(stop)])
        #expect(finished.interrupted)
        #expect(finished.results.map(\.status) == [.passed, .skipped])
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "a\n")
    }

    @Test("expect checks compare status and output")
    func expectChecks() async throws {
        let plan = try plan(
            """
            steps:
              - expect: {node: a, run: "echo hello world", stdout_contains: hello, stdout_matches: "w.rld"}
              - expect: {node: a, run: "echo hello", stdout_excludes: hello, status: 3}
            """)
        let report = try await run(plan, mode: .document, keepGoing: true)
        #expect(report.results.map(\.status) == [.passed, .failed])
        #expect(report.results[1].message == "status 0, expected 3; stdout contains 'hello'")
    }
}
