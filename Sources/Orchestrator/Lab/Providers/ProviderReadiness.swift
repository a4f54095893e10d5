import Foundation
import PlanModel

/// Waits until every node of a provider lab answers SSH (OpenSSH, strict host keys, from the management
/// namespace), then brings its topology interfaces up, adds the addresses the topology assigns and names it.
enum ProviderReadiness {
    /// - Parameter alive: Asked between attempts whether the node's container or VM is still running; a node that
    ///   stopped fails at once with `alive`'s text.
    static func waitForSSH(
        _ nodes: [ProviderLabInfo.Node], topology: Topology, paths: LabPaths, until deadline: ContinuousClock.Instant,
        renameByMAC: Bool = false, alive: (ProviderLabInfo.Node) -> String? = { _ in nil }
    ) throws(LabError) {
        let ssh = try ProviderShell.locate("ssh", package: "openssh-client")
        var waiting = nodes
        var lastError: [NodeName: String] = [:]
        while !waiting.isEmpty {
            var still: [ProviderLabInfo.Node] = []
            // Every waiting node is asked at once (a node not up yet costs its connect timeout, which the others
            // need not wait behind).
            let round = waiting
            let outputs = try ProviderParallel.map(round.count, width: 16) { (index) throws(LabError) in
                try run(
                    ssh, node: round[index], paths: paths,
                    script: setupScript(round[index], topology: topology, renameByMAC: renameByMAC))
            }
            for (node, output) in zip(round, outputs) {
                if output.status.isSuccess { continue }
                // 255: ssh itself could not connect (yet); anything else is the setup script failing.
                guard output.status == .exited(255) else {
                    throw LabError.setup(
                        "bringing up the interfaces of \(node.name) failed (\(output.status))",
                        cause: output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                if let gone = alive(node) { throw LabError.setup("\(node.name) stopped while booting", cause: gone) }
                lastError[node.name] = output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
                still.append(node)
            }
            waiting = still
            guard !waiting.isEmpty else { return }
            guard ContinuousClock.now < deadline else {
                let names = waiting.map(\.name.rawValue).joined(separator: ", ")
                throw LabError.setup(
                    "\(names) did not answer SSH in time",
                    cause: waiting.compactMap { lastError[$0.name].map { "\($0)" } }.first)
            }
            usleep(300_000)
        }
    }

    private static func run(_ ssh: String, node: ProviderLabInfo.Node, paths: LabPaths, script: String)
        throws(LabError) -> ProcessOutput
    {
        let shell = ProviderShell(networkNamespace: node.networkNamespace, timeout: .seconds(30))
        return try shell.runAllowingFailure(ssh, ["-F", paths.sshConfig, node.name.rawValue, script])
    }

    /// The node's hostname, its interfaces up, the addresses the topology assigns (as the namespace lab does).
    /// - Parameter renameByMAC: Give each NIC the topology's name, found by its MAC (a VM's kernel names them
    ///   eth0, eth1, … in PCI order).
    static func setupScript(_ node: ProviderLabInfo.Node, topology: Topology, renameByMAC: Bool = false) -> String {
        let name = ShellWords.quote(node.name.rawValue)
        // The name resolves locally, as Debian's installer arranges: sudo looks its host up, and a look-up that goes
        // to a DNS server which cannot answer stalls every sudo for seconds.
        var lines = [
            "set -e", "hostname \(name)",
            "grep -q \"^127.0.1.1 \(node.name.rawValue)$\" /etc/hosts || echo \"127.0.1.1 \(node.name.rawValue)\" >> /etc/hosts",
        ]
        let interfaces = topology.nodes[node.name].map { Array($0.interfaces.values) } ?? []
        if renameByMAC {
            for (nic, interface) in interfaces.enumerated() {
                let mac = QEMULabBuilder.mac(of: interface, vm: node.member, nic: nic + 1)
                let name = ShellWords.quote(interface.name)
                lines.append(
                    "current=$(grep -il '^\(mac)$' /sys/class/net/*/address | head -n 1 | cut -d/ -f5)"
                        + "; if [ -n \"$current\" ] && [ \"$current\" != \(name) ]; then"
                        + " ip link set dev \"$current\" down; ip link set dev \"$current\" name \(name); fi")
            }
        }
        for interface in interfaces {
            lines.append("ip link set dev \(ShellWords.quote(interface.name)) up")
            if interface.assignAddresses {
                lines += interface.addresses.map {
                    "ip address replace \($0.withLength) dev \(ShellWords.quote(interface.name))"
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
