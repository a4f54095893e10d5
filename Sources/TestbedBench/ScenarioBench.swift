import Foundation
public import Logging
public import Netsukuku
public import Orchestrator
public import PlanModel

/// The scenario compiler's figures: compile time of the author's scenario and its lines per operation,
/// generated scenarios of N systems per seed and scheme compiled and checked offline, and one generated
/// scenario compiled and run on a fresh lab.
public enum ScenarioBench {
    /// The author's scenario, compiled `repeats` times.
    public struct AuthorFigures: Sendable {
        public var compile: Samples
        public var linesPerOperation: [(operation: String, lines: Int)]
        public var commands: Int
        public var checks: Int
    }

    /// One generated scenario, compiled and checked offline.
    public struct GeneratedRow: Sendable {
        public var systems: Int
        public var scheme: String
        public var seed: UInt64
        public var operations: Int
        public var commands: Int
        public var checks: Int
        public var compileSeconds: Double
        public var wouldFail: Int
        public var notModelled: Int
        /// The compiler's errors, when it refused the scenario (a generator or compiler bug).
        public var error: String?
    }

    /// A generated scenario compiled, then run on a fresh lab of its topology.
    public struct RunFigures: Sendable {
        public var systems: Int
        public var seed: UInt64
        public var compileSeconds: Double
        public var report: RunReport
    }

    public static func author(path: String, topology: Topology, repeats: Int) throws(InputErrors) -> AuthorFigures {
        var samples = Samples()
        var start = ContinuousClock.now
        var (_, compiled) = try ScenarioCompiler.compile(path: path, topology: topology)
        samples.add(seconds(since: start))
        for _ in 1..<max(1, repeats) {
            start = ContinuousClock.now
            (_, compiled) = try ScenarioCompiler.compile(path: path, topology: topology)
            samples.add(seconds(since: start))
        }
        let counts = compiled.plan.counts
        return AuthorFigures(
            compile: samples, linesPerOperation: compiled.linesPerOperation, commands: counts.commands,
            checks: counts.checks)
    }

    /// Every seed with every scheme the generator has for `systems`.
    public static func generated(systems: Int, seeds: ClosedRange<UInt64>) -> [GeneratedRow] {
        var rows: [GeneratedRow] = []
        for scheme in ScenarioGenerator.schemes(for: systems) {
            for seed in seeds {
                rows.append(generatedRow(systems: systems, scheme: scheme, seed: seed))
            }
        }
        return rows
    }

    static func generatedRow(systems: Int, scheme: AddressScheme, seed: UInt64) -> GeneratedRow {
        let output = ScenarioGenerator(systems: systems, scheme: scheme, seed: seed).generate()
        var row = GeneratedRow(
            systems: systems, scheme: scheme.description, seed: seed, operations: output.operationCount, commands: 0,
            checks: 0, compileSeconds: 0, wouldFail: 0, notModelled: 0)
        do {
            let topology = try TopologyLoader.parse(text: output.topologyYAML, path: output.topologyFileName)
            let start = ContinuousClock.now
            let (_, compiled) = try ScenarioCompiler.compile(
                text: output.scenarioYAML, path: "gen-\(systems)-\(seed).yaml", topology: topology)
            row.compileSeconds = seconds(since: start)
            let report = PlanChecker(topology: topology).check(compiled.plan)
            row.commands = compiled.plan.counts.commands
            row.checks = compiled.plan.counts.checks
            row.wouldFail = report.failures.count
            row.notModelled = report.notModelled.count
        } catch {
            row.error = error.errors.first.map(\.description) ?? "\(error)"
        }
        return row
    }

    /// Generates a scenario and its topology under `directory`, compiles it and runs it on a fresh lab.
    public static func run(
        systems: Int, seed: UInt64, directory: String, root: String, logger: Logger
    ) async throws -> RunFigures {
        let output = ScenarioGenerator(systems: systems, seed: seed).generate()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let topologyPath = directory + "/" + output.topologyFileName
        try output.topologyYAML.write(toFile: topologyPath, atomically: true, encoding: .utf8)
        let topology = try TopologyLoader.load(path: topologyPath)
        let start = ContinuousClock.now
        let (_, compiled) = try ScenarioCompiler.compile(
            text: output.scenarioYAML, path: directory + "/gen-\(systems)-\(seed).yaml", topology: topology)
        let compileSeconds = seconds(since: start)
        let report = try await PlanBench.runFresh(
            plan: compiled.plan, topology: topology, choice: .auto, root: root, logger: logger)
        try LabTeardown(paths: LabPaths(name: topology.name, root: root), logger: logger).down()
        return RunFigures(systems: systems, seed: seed, compileSeconds: compileSeconds, report: report)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
