public import PlanModel

extension Lab {
    /// How each node of a running LXD or QEMU lab is reached: TCP to its management address from inside the
    /// management namespace, root with the lab's client key, strict host keys against the lab's known_hosts.
    public static func providerTargets(_ summary: LabSummary, root: String = LabPaths.defaultRoot)
        -> [(NodeName, NodeTarget)]?
    {
        guard let provider = summary.provider else { return nil }
        let paths = LabPaths(name: summary.name, root: root)
        return provider.nodes.map { node in
            var endpoint = SSHEndpoint(
                transport: .tcp(host: node.address, port: node.port), user: "root", identityFiles: [paths.clientKey],
                useAgent: false, knownHostsFiles: [paths.knownHosts], hostKeyAlias: paths.hostKeyAlias(node.name),
                hostKeyPolicy: .strict, connectTimeout: .seconds(15), keepaliveInterval: .seconds(30))
            endpoint.networkNamespace = node.networkNamespace
            return (node.name, .ssh(endpoint))
        }
    }

    /// Every node's target of a running lab of any provider.
    /// - Throws: `LabError.missingProgram` for a namespace lab whose nsenter or sshd went missing.
    public static func targets(_ summary: LabSummary, root: String = LabPaths.defaultRoot) throws(LabError)
        -> [(NodeName, NodeTarget)]
    {
        if let targets = providerTargets(summary, root: root) { return targets }
        return try access(summary, root: root).map { ($0.node, NodeTarget.ssh(lab: $0)) }
    }
}
