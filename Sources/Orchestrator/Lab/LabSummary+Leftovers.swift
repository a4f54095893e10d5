extension LabSummary {
    /// Processes of this lab still alive: members of its node namespaces (holders, sshd sessions, what they
    /// started) and the switch holder while it keeps the lab's tag. `lab down` must leave none; the scale bench
    /// counts them after it.
    public var leftoverProcesses: Int {
        let members = ProcFS.processes(inNamespaces: Set(nodes.map(\.netnsInode)), kind: "net")
        let switchLeft = ProcFS.isAlive(switchPID) && ProcFS.environment(of: switchPID).contains("TESTBED_LAB=\(labID)")
        return members.count + (switchLeft ? 1 : 0)
    }
}
