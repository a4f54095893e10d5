import PlanModel

extension LabError {
    /// A lab some of whose nodes died since `lab up` (their recorded process is gone): a run that may not bring
    /// the lab up (a resume) cannot go on, because a node's kernel state lives and dies with its process.
    /// - Parameters:
    ///   - gone: The nodes whose recorded process no longer runs, with that PID, in the lab's order.
    ///   - topologyPath: The topology file, for the hint's command.
    static func nodesGone(lab: String, gone: [(name: NodeName, pid: Int32)], topologyPath: String) -> LabError {
        let names = gone.map { "'\($0.name)' (PID \($0.pid))" }
        let list =
            names.count <= 2
            ? names.joined(separator: " and ")
            : names.dropLast().joined(separator: ", ")
                + " and " + (names.last ?? "")
        let message =
            gone.count == 1
            ? "lab '\(lab)' lost node \(list): the process holding it, recorded at lab up, is gone, and the "
                + "node's kernel state (interfaces, addresses, routes, rules, iptables, sysctls) with it"
            : "lab '\(lab)' lost nodes \(list): the processes holding them, recorded at lab up, are gone, and "
                + "the nodes' kernel state (interfaces, addresses, routes, rules, iptables, sysctls) with them"
        return LabError(
            .nodesGone, message,
            hint: "there is nothing left to resume on; run the plan again on a fresh lab: testbed run --fresh -t "
                + "\(topologyPath) PLAN")
    }
}
