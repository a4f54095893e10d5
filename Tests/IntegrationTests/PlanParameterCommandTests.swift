import Foundation
import Testing

/// `validate` and `check` read a plan's parameters as `run` does (offline, through the built binary): a
/// documented file named through `${NAME}` is found with `--define NAME=…` or the parameter's default.
@Suite struct PlanParameterCommandTests {
    let home = LabTestHome()

    /// A plan whose conform step names its documented file through `${DOCS}`, and the documented plan.
    func write(defaultValue: String?) throws -> String {
        let docs = home.path + "/docs"
        try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true)
        _ = try home.write("docs/doc.yaml", "steps:\n  - {id: up, node: beta, run: ip link set dev eth1 up}\n")
        let declaration = defaultValue.map { "    default: \($0)\n" } ?? ""
        return try home.write(
            "plan.yaml",
            """
            parameters:
              DOCS:
                about: where the documented plan is
            \(declaration)steps:
              - {id: up, node: beta, run: ip link set dev eth1 up}
              - id: same
                conform: {node: beta, documented: {file: "${DOCS}/doc.yaml", steps: [up]}}

            """)
    }

    @Test("--define gives validate and check the value; without one the unresolved path is named")
    func define() throws {
        let plan = try write(defaultValue: nil)
        for command in ["validate", "check"] {
            let missing = try LabTestSupport.testbed([command, "-t", home.netsukuku, plan], home: home.path)
            #expect(missing.status == .exited(2), "\(command): \(missing.stdoutText)\(missing.stderrText)")
            #expect(missing.stderrText.contains("the documented file ${DOCS}/doc.yaml cannot be read"), "\(command)")
            let given = try LabTestSupport.testbed(
                [command, "-t", home.netsukuku, plan, "--define", "DOCS=\(home.path)/docs"], home: home.path)
            #expect(given.status == .exited(0), "\(command): \(given.stdoutText)\(given.stderrText)")
        }
    }

    @Test("a parameter's default is taken when nothing else gives a value")
    func defaultValue() throws {
        let plan = try write(defaultValue: home.path + "/docs")
        let checked = try LabTestSupport.testbed(["validate", "-t", home.netsukuku, plan], home: home.path)
        #expect(checked.status == .exited(0), "\(checked.stdoutText)\(checked.stderrText)")
        #expect(checked.stdoutText.contains("plan.yaml: ok — 2 steps"), "\(checked.stdoutText)")
    }
}
