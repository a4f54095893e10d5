import ArgumentParser
import Foundation
import Netsukuku
import Orchestrator
import PlanModel

/// `testbed compile -t TOPO SCENARIO -o PLAN`: turns a Netsukuku scenario (user operations) into an ordered,
/// checked plan, and checks it offline with the kernel-state model.
struct CompileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a Netsukuku scenario into a plan: every block, ETP wave and reach check.",
        discussion: """
            The scenario names the systems, the address scheme and the user operations (init, add_real_arc, \
            enter_net, enter_net_phase_2, migrate, remove_outer_arcs, dismiss, remove_arc). The plan is written \
            as YAML and checked offline (as `testbed check` does). --generate N writes a random scenario of N systems \
            and its topology (beside it) instead. \
            Exit codes: 0 compiled and no command would fail, 1 a command would fail, 2 invalid input.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("t"), .customLong("topo")], help: "The topology file.")
    var topology: String?
    @Argument(help: "The scenario file (a YAML file with a top-level 'scenario:' key).")
    var scenario: String?
    @Option(name: .shortAndLong, help: "Write the plan here (default: print it).")
    var output: String?
    @Flag(name: .long, help: "Print compile time, lines per operation and checks.")
    var stats = false
    @Option(name: .long, help: "Write a random scenario of this many systems (and its topology) to -o, then stop.")
    var generate: Int?
    @Option(name: .long, help: "Seed of the generated scenario.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Scheme of the generated scenario, gsizes level 0 first (default: one for the seed).")
    var scheme: String?
    func run() async throws {
        _ = global.bootstrap()
        do {
            if let generate { return try writeGenerated(systems: generate) }
            guard let scenario, let topology else {
                throw ValidationError("give -t TOPOLOGY and a SCENARIO file, or --generate N -o SCENARIO")
            }
            let loadedTopology = try TopologyLoader.load(path: topology)
            let clock = ContinuousClock()
            let start = clock.now
            let (loaded, compiled) = try ScenarioCompiler.compile(path: scenario, topology: loadedTopology)
            let elapsed = clock.now - start
            let text = PlanYAMLWriter.write(compiled.plan, topology: loadedTopology)
            // The plan must read back as `testbed run` will read it.
            _ = try PlanLoader.parse(text: text, path: output ?? "plan.yaml", topology: loadedTopology)
            if let output {
                try OutputFile.write(text, to: output)
            } else {
                Terminal.standardOutput.write(text)
            }
            for warning in compiled.warnings { Terminal.standardError.write("warning: \(warning)\n") }
            let report = PlanChecker(topology: loadedTopology).check(compiled.plan)
            for finding in report.findings { Terminal.standardError.write("\(finding)\n") }
            let counts = compiled.plan.counts
            let summary =
                "\(scenario): \(loaded.operations.count) operations → \(counts.steps) steps, \(counts.blocks) blocks, "
                + "\(counts.commands) commands, \(counts.checks) checks; offline check: \(report.failures.count) would fail, "
                + "\(report.notModelled.count) not modelled\n"
            Terminal.standardError.write(summary)
            if stats { Terminal.standardError.write(Self.statistics(compiled, elapsed: elapsed)) }
            if report.hasFailures { throw ExitCode(ExitCodes.failed) }
        } catch {
            throw ErrorReporting.report(error)
        }
    }

    static func statistics(_ compiled: CompiledScenario, elapsed: Duration) -> String {
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        var text = String(format: "compile time: %.1f ms\nlines per operation:\n", milliseconds)
        for (operation, lines) in compiled.linesPerOperation { text += "  \(operation): \(lines)\n" }
        return text
    }

    private func writeGenerated(systems: Int) throws {
        guard let output else {
            throw ValidationError("--generate needs -o SCENARIO.yaml; the topology goes beside it")
        }
        let gsizes = try scheme.map { text in
            try AddressScheme(
                gsizes: text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        }
        let generated = ScenarioGenerator(systems: systems, scheme: gsizes, seed: seed).generate()
        let directory = (output as NSString).deletingLastPathComponent
        let topologyPath = (directory.isEmpty ? "." : directory) + "/" + generated.topologyFileName
        try generated.topologyYAML.write(toFile: topologyPath, atomically: true, encoding: .utf8)
        try OutputFile.write(generated.scenarioYAML, to: output)
        Terminal.standardError.write(
            "wrote \(output) (\(generated.operationCount) operations) and \(topologyPath)\n")
    }
}
