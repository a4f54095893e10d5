import Netsukuku
import PlanModel

/// The scenario loader and compiler, reached as `testbed run`/`check` reach them: `PlanSource` recognises the
/// top-level `scenario:` key and the Netsukuku compiler turns the file into a plan, which is then checked.
enum FuzzScenarios {
    static func scenario(_ bytes: [UInt8]) {
        guard let text = try? InputFile.text(from: bytes, path: "fuzz-scenario.yaml") else { return }
        let topology = FuzzTopology.netsukuku
        guard
            let result = try? PlanSource.parse(
                text: text, path: "fuzz-scenario.yaml", topology: topology, format: .scenario,
                scenarios: ScenarioPlanCompiler())
        else { return }
        _ = PlanChecker(topology: topology).check(result.plan)
    }
}
