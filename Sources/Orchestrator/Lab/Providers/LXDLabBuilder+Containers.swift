import Foundation
import PlanModel

extension LXDLabBuilder {
    /// Creates every container (recorded first), several at a time (each mostly waits on the daemon), each with
    /// its NICs in one `lxc init`, then pushes its host key and root's authorized_keys in before it ever boots.
    /// With a `tag` (a user's endpoint) no profile applies: the root disk is on the endpoint's pool, and the
    /// container carries `user.testbed.lab=tag`. In a cluster each goes to its member (`--target`).
    func createContainers(
        _ nodes: [ProviderLabInfo.Node], journal: LabJournal, image: String, tag: String?, cluster: LXDClusterLayout?
    ) throws(LabError) {
        let segments = segmentsAndLoners()
        journal.record(
            .intent,
            nodes.map {
                tag == nil
                    ? .container(member: $0.member, name: $0.instance)
                    : .endpointObject(kind: .container, name: $0.instance)
            })
        try journal.commit()
        let width = ProcessEnvironment.value("TESTBED_LXD_PARALLEL").flatMap(Int.init) ?? 6
        _ = try ProviderParallel.map(nodes.count, width: width) { (index) throws(LabError) in
            try createContainer(nodes[index], segments: segments, image: image, tag: tag, cluster: cluster)
        }
    }

    /// One container: `lxc init` with its NICs (and, on an endpoint, its root disk and tag), then two pushes:
    /// the host key pair into /etc/ssh and root's authorized_keys. A node dialled elsewhere than on the bridge (a
    /// user's cluster, or `reach: proxy`) gets a proxy device `ssh` on its member's address to the container's sshd (bound in the member's namespace, so the
    /// connection reaches the container as from 127.0.0.1).
    private func createContainer(
        _ node: ProviderLabInfo.Node, segments: [[Endpoint]], image: String, tag: String?,
        cluster: LXDClusterLayout?
    ) throws(LabError) {
        guard let topologyNode = topology.nodes[node.name] else { return }
        var devices = [
            "  eth0: {type: nic, name: eth0, network: \(managementNetworkName), ipv4.address: \"\(node.bridgeAddress ?? node.address)\"}"
        ]
        var config = ["  security.nesting: \"true\""]
        if let tag, let pool = settings.endpoint?.storagePool {
            devices.append("  root: {type: disk, path: /, pool: \(pool)}")
            config.append("  user.testbed.lab: \"\(tag)\"")
        }
        if node.bridgeAddress != nil {
            let listen = "tcp:\(LXDClusterLayout.listenAddress(node.address)):\(node.port)"
            devices.append(
                "  testbed-ssh: {type: proxy, listen: \"\(listen)\", connect: \"tcp:127.0.0.1:22\", bind: host}")
        }
        for interface in topologyNode.interfaces.values {
            let endpoint = Endpoint(node: node.name, interface: interface.name)
            guard let index = segments.firstIndex(where: { $0.contains(endpoint) }) else { continue }
            var device = "type: nic, name: \(interface.name), network: \(networkName(segment: index))"
            if let mac = interface.mac { device += ", hwaddr: \"\(mac.description.lowercased())\"" }
            devices.append("  \(interface.name): {\(device)}")
        }
        // Nesting lets `ip netns exec` mount a sysfs for the namespace it enters (plans make namespaces).
        let text =
            "config:\n" + config.joined(separator: "\n") + "\ndevices:\n" + devices.joined(separator: "\n") + "\n"
        var arguments = ["init", image, node.instance]
        if let cluster { arguments += ["--target", cluster.members[node.member - 1].name] }
        if tag != nil { arguments.append("--no-profiles") }
        try lxc(1, arguments, input: text)
        let keys = paths.nodeDirectory(node.name)
        let push = ["file", "push", "--uid", "0", "--gid", "0", "--mode", "0600"]
        try lxc(
            1, push + [keys + "/ssh_host_ed25519_key", keys + "/ssh_host_ed25519_key.pub", node.instance + "/etc/ssh/"])
        try lxc(1, push + [paths.authorizedKeys, node.instance + "/root/.ssh/authorized_keys"])
    }

    /// Starts the containers a batch per call (LXD starts a batch's in parallel). Fifty at once made LXD 5.0's
    /// database time out ("Failed to begin transaction: context deadline exceeded") on two loaded cores.
    func startContainers(_ nodes: [ProviderLabInfo.Node]) throws(LabError) {
        let batch = max(1, ProcessEnvironment.value("TESTBED_LXD_START_BATCH").flatMap(Int.init) ?? 10)
        for first in stride(from: 0, to: nodes.count, by: batch) {
            try lxc(1, ["start"] + nodes[first..<min(first + batch, nodes.count)].map(\.instance))
        }
    }
}
