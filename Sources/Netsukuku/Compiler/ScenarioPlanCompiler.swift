public import PlanModel

/// The scenario compiler as `PlanSource` takes it: `testbed run`, `check` and `render` read a scenario file
/// (top-level `scenario:` key) as the plan it compiles to.
public struct ScenarioPlanCompiler: ScenarioCompiling {
    public init() {}

    public func compile(text: String, path: String, topology: Topology) throws(InputErrors) -> ImportResult {
        let (_, compiled) = try ScenarioCompiler.compile(text: text, path: path, topology: topology)
        let source = SourceText(path: path, text: text)
        // The model's predictions (a pair that cannot reach each other) are kept as warnings of the read.
        let warnings = compiled.warnings.map { text in
            source.error(
                .invalidValue, text, line: 1, hint: "a prediction of the compiler's model; the plan checks it",
                severity: .warning)
        }
        return ImportResult(
            plan: compiled.plan, report: ImportReport(plan: compiled.plan, warnings: warnings), source: source)
    }
}
