import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The fault suite: the orchestrator SIGKILLed at 10 random points of the bench workload, each followed by
/// `--resume`; every end state must equal the uninterrupted run's. Prints the points (and their seed), and
/// each resume's overhead: from its start to its first unit.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(20)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class RandomKillResumeTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }
        let nodes = ["alfa", "beta", "gamma", "delta", "epsilon", "mu", "lambda", "rho"]

        /// Polls until the journal at `path` records its first unit; returns the seconds it took (nil when the
        /// run ended first). Each run is given its own directory, so no other run's journal can answer.
        func secondsToFirstUnit(
            _ run: FaultTestSupport.BackgroundRun, journal path: String, since start: ContinuousClock.Instant
        )
            -> Double?
        {
            while run.child.pollExit() == nil {
                if let body = try? String(contentsOfFile: path, encoding: .utf8), body.contains("\"unit_started\"") {
                    return start.secondsSince
                }
                usleep(5_000)
            }
            return nil
        }

        @Test("SIGKILL at 10 random points of the bench workload, each resumed: every end state as uninterrupted")
        func randomKills() throws {
            let plan = home + "/workload.yaml"
            let written = try LabTestSupport.testbed(["bench", "--write-workload", plan], home: home)
            try #require(written.status == .exited(0), "\(written.stderrText)")
            let wholeStart = ContinuousClock.now
            let whole = try LabTestSupport.testbed(
                ["run", "--fresh", "-t", topology, plan], home: home, timeout: .seconds(600))
            let wholeSeconds = wholeStart.secondsSince
            try #require(whole.status == .exited(0), "\(whole.stdoutText)\(whole.stderrText)")
            let expected = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            let seed = UInt64(Date().timeIntervalSince1970)
            var generator = SplitMix(seed: seed)
            let span = max(wholeSeconds - 3, 1)
            let points = (0..<10).map { _ in Double(generator.next() % 1000) / 1000 * span }
            print(
                "random kill points (seed \(seed)), seconds after the first unit: "
                    + points.map { String(format: "%.2f", $0) }.joined(separator: ", "))
            var overheads: [Double] = []
            // The killed runs' directories sit with the others, so a plain `--resume` must pick each as the latest.
            let runs = home + "/runs/netsukuku-poc"
            for (index, point) in points.enumerated() {
                let killed = runs + "/kill\(index)-\(seed)"
                let run = try FaultTestSupport.BackgroundRun(
                    ["run", "--fresh", "-t", topology, plan, "--run-dir", killed], home: home, name: "kill\(index)")
                let reachedFirstUnit = secondsToFirstUnit(run, journal: killed + "/journal.jsonl", since: .now) != nil
                usleep(useconds_t(point * 1_000_000))
                let killedEarly = !reachedFirstUnit || run.child.pollExit() != nil
                _ = run.kill()
                let resumeStart = ContinuousClock.now
                let resumedDirectory = runs + "/resume\(index)-\(seed)"
                let resumed = try FaultTestSupport.BackgroundRun(
                    ["run", "-t", topology, plan, "--resume", "--run-dir", resumedDirectory], home: home,
                    name: "resume\(index)")
                if let overhead = secondsToFirstUnit(
                    resumed, journal: resumedDirectory + "/journal.jsonl", since: resumeStart)
                {
                    overheads.append(overhead)
                }
                let status = resumed.wait(seconds: 600)
                #expect(
                    status == .exited(0) || (killedEarly && status == .exited(2)),
                    "point \(index) (\(point) s): \(resumed.stdout)\(resumed.stderr)")
                let found = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
                #expect(found == expected, "point \(index): \(FaultTestSupport.difference(expected, found))")
                let done = resumed.stderr.split(separator: "\n").first { $0.contains("units done before") } ?? ""
                print(
                    "kill \(index + 1) at \(String(format: "%.2f", point)) s: \(done.trimmingCharacters(in: .whitespaces))"
                )
            }
            let sorted = overheads.sorted()
            if !sorted.isEmpty {
                print(
                    "resume overhead (start → first resumed unit), bench workload, n=\(sorted.count): median "
                        + String(
                            format: "%.2f s, min %.2f s, max %.2f s", sorted[sorted.count / 2], sorted[0],
                            sorted[sorted.count - 1])
                        + String(format: "; the uninterrupted run took %.2f s", wholeSeconds))
            }
        }
    }
}

/// A small seeded generator, so a failing set of points can be told apart by its printed seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
