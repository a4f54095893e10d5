extension PlanYAMLWriter {
    /// The `parameters:` a session file's plan needs: a session's `${NAME}` (the program under test, say) is the
    /// value its author's terminal had, so the YAML plan declares it and `testbed run` asks for it
    /// (`--define NAME=…` or the environment variable) instead of bash on the node expanding it to nothing.
    /// Other sources keep `${…}` as the node's shell variables, as they were written.
    static func parameters(of plan: Plan, body: [String]) -> [String] {
        guard plan.sourceKind == .session else { return [] }
        let names = PlanParameters.references(in: body.joined(separator: "\n")).filter {
            !PlanParameter.builtins.contains($0)
        }
        guard !names.isEmpty else { return [] }
        var lines = ["parameters:"]
        for name in names {
            lines.append("  \(name):")
            lines.append(
                "    about: \(quoted("\(name) as the session file used it; give it with --define \(name)=VALUE"))")
            lines.append("    env: \(name)")
        }
        return lines
    }
}
