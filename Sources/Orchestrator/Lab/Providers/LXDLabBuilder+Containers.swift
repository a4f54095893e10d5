import Foundation
import PlanModel

extension LXDLabBuilder {
    /// Creates every container (recorded first) with its NICs in one `lxc init` each, then pushes its host key
    /// and root's authorized_keys in before it ever boots.
    func createContainers(_ nodes: [ProviderLabInfo.Node], journal: LabJournal) throws(LabError) {
        let segments = segmentsAndLoners()
        journal.record(.intent, nodes.map { .container(member: $0.member, name: $0.instance) })
        try journal.commit()
        for node in nodes {
            guard let topologyNode = topology.nodes[node.name] else { continue }
            var devices = [
                "  eth0: {type: nic, name: eth0, network: lxdbr0, ipv4.address: \"\(node.address)\"}"
            ]
            for interface in topologyNode.interfaces.values {
                let endpoint = Endpoint(node: node.name, interface: interface.name)
                guard let index = segments.firstIndex(where: { $0.contains(endpoint) }) else { continue }
                var device = "type: nic, name: \(interface.name), network: \(Self.networkName(segment: index))"
                if let mac = interface.mac { device += ", hwaddr: \"\(mac.description.lowercased())\"" }
                devices.append("  \(interface.name): {\(device)}")
            }
            // Nesting lets `ip netns exec` mount a sysfs for the namespace it enters (plans make namespaces).
            let config = "config:\n  security.nesting: \"true\"\ndevices:\n" + devices.joined(separator: "\n") + "\n"
            var arguments = ["init", Self.imageAlias, node.instance]
            if memberCount > 1 { arguments += ["--target", "m\(node.member)"] }
            try lxc(1, arguments, input: config)
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
