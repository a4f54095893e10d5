import NodeAgentProtocol
import Testing

@testable import Orchestrator

/// Round-trip figures for a real local agent over `PipeAgentStream`. Printed, not asserted: the numbers
/// depend on the machine and its load.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AgentBenchmarkTests {
    private typealias Support = AgentTestSupport

    private func summary(_ label: String, _ samples: [Duration], per count: Int = 1) -> String {
        let sorted = samples.sorted()
        func microseconds(_ duration: Duration) -> Int64 {
            (duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)
                / Int64(count)
        }
        let median = microseconds(sorted[sorted.count / 2])
        let p99 = microseconds(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
        return "\(label): n=\(samples.count) median \(median) µs, p99 \(p99) µs per request"
    }

    @Test("trivial blocks: one request per round trip, and pipelined batches")
    func trivialRoundTrips() throws {
        try Support.withAgent { client, _ in
            let trivial = NodeRequest.run(.init(script: "true"))
            for _ in 0..<20 { _ = try client.send(trivial, until: .now + Support.patience) }
            var single: [Duration] = []
            for _ in 0..<1000 {
                let started = ContinuousClock.now
                let response = try client.send(trivial, until: .now + Support.patience)
                single.append(ContinuousClock.now - started)
                guard case .run(let result) = response, result.exitStatus == 0 else {
                    Issue.record("unexpected \(response)")
                    return
                }
            }
            print(summary("agent round trip, `true`", single))
            for batch in [10, 100] {
                var samples: [Duration] = []
                for _ in 0..<(1000 / batch) {
                    let started = ContinuousClock.now
                    let responses = try client.send(
                        Array(repeating: trivial, count: batch), until: .now + Support.patience)
                    samples.append(ContinuousClock.now - started)
                    #expect(responses.count == batch)
                }
                print(summary("agent pipelined batches of \(batch), `true`", samples, per: batch))
            }
            var echo: [Duration] = []
            let echoRequest = NodeRequest.run(.init(script: "echo hello"))
            for _ in 0..<200 {
                let started = ContinuousClock.now
                _ = try client.send(echoRequest, until: .now + Support.patience)
                echo.append(ContinuousClock.now - started)
            }
            print(summary("agent round trip, `echo hello` (stdout read into a variable, no extra fork)", echo))
        }
    }
}
