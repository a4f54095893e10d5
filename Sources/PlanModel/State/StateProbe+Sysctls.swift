extension StateProbe {
    /// The sysctls of the default namespace that `node`'s blocks of the plan set, so their values before the run
    /// can be kept (a reset restores them).
    public static func sysctlsSet(by plan: Plan, node: NodeName, from state: NodeState) -> [String] {
        var names: Set<String> = []
        var current = state
        for step in plan.steps {
            for block in step.blocks where block.node == node {
                for command in block.commands {
                    let touched = CommandFootprint.of(command.text, namespace: block.netns?.rawValue, state: current)
                    if block.netns == nil { names.formUnion(touched.sysctls[""] ?? []) }
                    _ = StateModel.run(command.text, namespace: block.netns?.rawValue, on: &current)
                }
            }
        }
        return names.sorted()
    }
}
