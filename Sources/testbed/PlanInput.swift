import Netsukuku
import Orchestrator
import PlanModel

/// Reads a plan as every command that takes one does: its `parameters:` resolved (`--define`, the environment,
/// defaults, and — only when the plan will run — the programs that build a value), then imported from whatever
/// format it is, scenarios compiled.
enum PlanInput {
    /// - Parameters:
    ///   - runsPrograms: Whether a parameter's `build:` program may run; without, such a parameter keeps `${NAME}`.
    ///   - defines: The `--define` values, as `RunCommand.definitions` read them.
    /// - Throws: `InputErrors` (the file, its parameters, its content).
    static func load(
        _ path: String, topology: Topology, defines: [String: String], runsPrograms: Bool,
        assumptions: [Int: String] = [:], session: SessionImporter.Options = .init()
    ) throws(InputErrors) -> ImportResult {
        let text = try InputFile.text(at: path)
        let resolver = PlanParameterResolver(
            defines: defines,
            environment: PlanParameterResolver.dictionary(ProcessEnvironment.current), runsPrograms: runsPrograms)
        let values = try resolver.resolve(planAt: path, text: text) { Terminal.standardError.write($0 + "\n") }
        return try PlanSource.parse(
            text: text, path: path, topology: topology, assumptions: assumptions, parameters: values,
            scenarios: ScenarioPlanCompiler(), session: session)
    }
}
