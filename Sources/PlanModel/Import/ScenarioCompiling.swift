/// Turns a scenario file (one with a top-level `scenario:` key) into a plan. The Netsukuku domain provides
/// the compiler; `PlanSource` only recognises the format, so PlanModel does not depend on the domain.
public protocol ScenarioCompiling: Sendable {
    /// The plan compiled from scenario text that came from `path`.
    /// - Throws: `InputErrors` with every problem of the scenario, located.
    func compile(text: String, path: String, topology: Topology) throws(InputErrors) -> ImportResult
}
