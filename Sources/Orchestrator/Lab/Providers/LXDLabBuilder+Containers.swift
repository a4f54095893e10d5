import Foundation
import PlanModel

extension LXDLabBuilder {
    /// Creates every container (recorded first) with its NICs in one `lxc init` each, then pushes its host key
    /// and root's authorized_keys in before it ever boots. With a `tag` (a user's endpoint) no profile applies:
    /// the root disk is on the endpoint's pool, and the container carries `user.testbed.lab=tag`.
    func createContainers(_ nodes: [ProviderLabInfo.Node], journal: LabJournal, image: String, tag: String?)
        throws(LabError)
    {
        let segments = segmentsAndLoners()
        journal.record(
            .intent,
            nodes.map {
                tag == nil ? .container(member: $0.member, name: $0.instance) : .endpointObject(kind: .container, name: $0.instance)
            })
        try journal.commit()
        for node in nodes {
            guard let topologyNode = topology.nodes[node.name] else { continue }
            var devices = [
                "  eth0: {type: nic, name: eth0, network: \(managementNetworkName), ipv4.address: \"\(node.address)\"}"
            ]
            var config = ["  security.nesting: \"true\""]
            if let tag, let pool = settings.endpoint?.storagePool {
                devices.append("  root: {type: disk, path: /, pool: \(pool)}")
                config.append("  user.testbed.lab: \"\(tag)\"")
            }
            for interface in topologyNode.interfaces.values {
                let endpoint = Endpoint(node: node.name, interface: interface.name)
                guard let index = segments.firstIndex(where: { $0.contains(endpoint) }) else { continue }
                var device = "type: nic, name: \(interface.name), network: \(networkName(segment: index))"
                if let mac = interface.mac { device += ", hwaddr: \"\(mac.description.lowercased())\"" }
                devices.append("  \(interface.name): {\(device)}")
            }
            // Nesting lets `ip netns exec` mount a sysfs for the namespace it enters (plans make namespaces).
            let text = "config:\n" + config.joined(separator: "\n") + "\ndevices:\n" + devices.joined(separator: "\n") + "\n"
            var arguments = ["init", image, node.instance]
            if memberCount > 1 { arguments += ["--target", "m\(node.member)"] }
            if tag != nil { arguments.append("--no-profiles") }
            try lxc(1, arguments, input: text)
            let keys = paths.nodeDirectory(node.name)
            for (source, target, mode) in [
                (keys + "/ssh_host_ed25519_key", "/etc/ssh/ssh_host_ed25519_key", "0600"),
                (keys + "/ssh_host_ed25519_key.pub", "/etc/ssh/ssh_host_ed25519_key.pub", "0644"),
                (paths.authorizedKeys, "/root/.ssh/authorized_keys", "0600"),
            ] {
                try lxc(
                    1, ["file", "push", "--uid", "0", "--gid", "0", "--mode", mode, source, node.instance + target])
            }
        }
    }

    /// Starts every container in one call (LXD starts them in parallel), then names each after its node.
    func startContainers(_ nodes: [ProviderLabInfo.Node]) throws(LabError) {
        try lxc(1, ["start"] + nodes.map(\.instance))
    }
}
