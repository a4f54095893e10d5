import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Services on lab nodes: started, fed, watched, stopped and collected; blocks started together; checks that
/// wait for a condition.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class ServiceRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { LabTestSupport.repository + "/topologies/three-nodes/topology.yaml" }

        func run(_ plan: String, _ extra: [String] = []) throws -> ProcessOutput {
            try LabTestSupport.testbed(["run", "-t", topology, try lab.write("plan.yaml", plan)] + extra, home: home)
        }

        /// The one run directory of this home, and a file in it.
        func runFile(_ name: String) throws -> String {
            let runs = home + "/runs/three-nodes"
            let newest = try FileManager.default.contentsOfDirectory(atPath: runs).sorted().last ?? ""
            return try String(contentsOfFile: "\(runs)/\(newest)/\(name)", encoding: .utf8)
        }

        static let echo = """
            steps:
              - service:
                  node: a
                  name: echo
                  start: 'echo started; while read -r line; do echo "got $line"; done'
                  ready: {run: "true", retry: {timeout_ms: 10000}}
              - service: {node: a, name: echo, input: "hello\\n"}
              - expect:
                  node: a
                  run: cat /run/testbed/services/*/echo/out
                  stdout_contains: got hello
                  retry: {timeout_ms: 10000, interval_ms: 50}
              - service: {node: a, name: echo, stop: true, grace_ms: 2000}
            """

        @Test("a service starts, reads its input, is stopped, and its log lands in the run directory")
        func lifecycle() throws {
            let result = try run(Self.echo, ["--fresh"])
            #expect(result.status == .exited(0), "\(result.stdoutText)\(result.stderrText)")
            #expect(result.stdoutText.contains("echo on a: exited with status 143"), "\(result.stdoutText)")
            #expect(try runFile("services/a-echo.out") == "started\ngot hello\n")
        }

        @Test("a service that dies on its own fails its node's next unit with its status and log tail")
        func crash() throws {
            let plan = """
                steps:
                  - service: {node: a, name: doomed, start: "echo going down >&2; exit 7"}
                  - {node: b, run: "sleep 0.5"}
                  - {node: a, run: "true"}
                """
            let result = try run(plan, ["--fresh"])
            #expect(result.status == .exited(1))
            #expect(
                result.stdoutText.contains("on a, service doomed exited with status 7 before this step"),
                "\(result.stdoutText)")
            #expect(result.stdoutText.contains("doomed err: going down"))
            #expect(result.stdoutText.contains("doomed on a: exited with status 7"))
        }

        @Test("Ctrl-C stops the run, and the services are still stopped and collected")
        func interrupted() throws {
            let plan = try lab.write(
                "long.yaml",
                """
                steps:
                  - service: {node: a, name: idle, start: "echo idling; exec sleep 600"}
                  - {node: b, run: "sleep 4"}
                """)
            _ = try LabTestSupport.testbed(["lab", "up", "-t", topology], home: home)
            let child = try LabTestSupport.start(["run", "-t", topology, plan], home: home)
            // Wait until the long block runs (the service started first), then interrupt.
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let started = try LabTestSupport.testbed(
                    ["exec", "-t", topology, "a", "--", "cat /run/testbed/services/*/idle/pid"], home: home)
                if started.status == .exited(0) { break }
                usleep(100_000)
            }
            usleep(300_000)
            child.signal(SIGINT)
            let (status, text) = LabTestSupport.finish(child)
            #expect(status == .exited(130), "\(text)")
            #expect(text.contains("idle on a: stopped at the end of the run, status 143"), "\(text)")
            let alive = try LabTestSupport.testbed(
                ["exec", "-t", topology, "a", "--", "kill -0 $(cat /run/testbed/services/*/idle/pid)"], home: home)
            #expect(alive.status != .exited(0), "the service is gone")
            #expect(try runFile("services/a-idle.out") == "idling\n", "its log is in the run directory")
            #expect(text.contains("log \(home)/runs/three-nodes/"), "\(text)")
        }

        @Test("blocks started together run at the same time, also in document order")
        func together() throws {
            let meeting = home + "/meet"
            try FileManager.default.createDirectory(atPath: meeting, withIntermediateDirectories: true)
            // Each block notes when it began (bash's $EPOCHREALTIME, one clock: the lab nodes share the machine's),
            // then waits for the other one's mark.
            func wait(for other: String, mark: String) -> String {
                "echo $EPOCHREALTIME > \(meeting)/\(mark).began; touch \(meeting)/\(mark);"
                    + " for i in $(seq 500); do [ -e \(meeting)/\(other) ] && exit 0; sleep 0.01; done; exit 1"
            }
            let plan = """
                steps:
                  - together: true
                    blocks:
                      - {node: a, run: "\(wait(for: "b", mark: "a"))"}
                      - {node: b, run: "\(wait(for: "a", mark: "b"))"}
                """
            let result = try run(plan, ["--fresh", "--schedule", "document"])
            #expect(result.status == .exited(0), "\(result.stdoutText)\(result.stderrText)")
            // The figure the issue asks for, printed, never asserted.
            let began = try ["a", "b"].map { mark in
                Double(
                    try String(contentsOfFile: "\(meeting)/\(mark).began", encoding: .utf8).trimmingCharacters(
                        in: .whitespacesAndNewlines)) ?? .nan
            }
            print(String(format: "together: a and b began %.3f ms apart", abs(began[0] - began[1]) * 1000))
            // Without `together`, document order runs a alone first: it waits for b in vain.
            try FileManager.default.removeItem(atPath: meeting)
            try FileManager.default.createDirectory(atPath: meeting, withIntermediateDirectories: true)
            let apart = try run(
                plan.replacingOccurrences(of: "together: true", with: "together: false"),
                ["--fresh", "--schedule", "document"])
            #expect(apart.status == .exited(1))
        }

        @Test("a check that holds only after a second passes with a retry policy, fails without, and says when")
        func waitUntil() throws {
            let plan = """
                steps:
                  - {node: a, run: "(sleep 1; ip address add 192.168.10.77/24 dev eth1) >/dev/null 2>&1 &"}
                  - reach: {from: r, to: [192.168.10.77]RETRY}
                """
            let retried = try run(
                plan.replacingOccurrences(of: "RETRY", with: ", retry: {timeout_ms: 15000, interval_ms: 100}"),
                ["--fresh", "--state-check", "off"])
            #expect(retried.status == .exited(0), "\(retried.stdoutText)\(retried.stderrText)")
            let journal = try runFile("journal.jsonl")
            let converged = journal.split(separator: "\n").compactMap { line -> Double? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let result = object["result"] as? [String: Any]
                else { return nil }
                return result["convergedAfter"] as? Double
            }
            #expect(converged.count == 1)
            #expect((converged.first ?? 0) >= 0.5, "the address appears after about a second: \(converged)")
            // The summary says so too, with the attempts and the time allowed.
            let held = retried.stdoutText.split(separator: "\n").first { $0.contains("(r), ") }.map(String.init)
            #expect(retried.stdoutText.contains("conditions (retried checks that held):"), "\(retried.stdoutText)")
            #expect(held?.hasSuffix(" attempts of 15.00 s allowed") == true, "\(held ?? retried.stdoutText)")
            print("wait until: \(held ?? "?")")
            let once = try run(plan.replacingOccurrences(of: "RETRY", with: ""), ["--fresh", "--state-check", "off"])
            #expect(once.status == .exited(1))
            #expect(once.stdoutText.contains("no answer from 192.168.10.77"))
        }
    }
}
