import Foundation
import Orchestrator

/// Human-readable text for lab commands.
enum LabReport {
    static func up(_ summary: LabSummary, topologyPath: String) -> String {
        let paths = LabPaths(name: summary.name)
        var text =
            "lab '\(summary.name)' is up: \(summary.nodes.count) nodes in \(String(format: "%.2f", summary.setupSeconds)) s\n"
        if let provider = summary.provider {
            text += "  provider: \(provider.kind.rawValue)\(provider.accelerator.map { " (\($0.uppercased()))" } ?? "")"
            text += provider.kind == .lxd ? ", placement \(provider.placement)\n" : "\n"
            let namespace = provider.nodes.first?.networkNamespace ?? ""
            text +=
                "  ssh:   nsenter --net=\(namespace) ssh -F \(paths.sshConfig) \(summary.nodes.first?.name ?? "NODE")\n"
        } else {
            text += "  ssh:   ssh -F \(paths.sshConfig) \(summary.nodes.first?.name ?? "NODE")\n"
        }
        text += "  down:  testbed lab down -t \(topologyPath)\n"
        return text
    }

    static func status(_ reports: [LabStatusCommand.Report], requested: String?) -> String {
        guard !reports.isEmpty else {
            return requested.map { "lab '\($0)' is not up\n" } ?? "no lab is up\n"
        }
        var text = ""
        for report in reports {
            let status = report.lab
            let alive = status.nodes.filter(\.isAlive).count
            text += "\(status.name): \(status.state.rawValue), \(alive)/\(status.nodes.count) nodes running"
            if let created = status.createdAt { text += ", since \(created.formatted(.iso8601))" }
            text += "\n"
            if let provider = status.provider {
                text += "  provider \(provider)" + (status.accelerator.map { ", \($0.uppercased())" } ?? "")
                text += (status.placement.map { ", placement \($0)" } ?? "") + "\n"
            }
            if let config = status.sshConfig {
                text +=
                    status.provider == nil
                    ? "  ssh -F \(config) NODE\n"
                    : "  nsenter --net=NAMESPACE ssh -F \(config) NODE   (each node's namespace is below)\n"
            }
            for node in status.nodes {
                let name = node.name.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                var line = "  \(name) pid \(node.pid)"
                if let instance = node.instance, let address = node.address {
                    let member =
                        status.provider == "lxd"
                        ? (node.memberName ?? node.member.map { "m\($0)" }).map { " on \($0)" } ?? "" : ""
                    line += "  \(instance)\(member) at \(address)"
                }
                if !node.isAlive { line += "  (gone)" }
                if let hello = report.agents[node.name] {
                    line +=
                        "  kernel \(hello.kernelRelease), \(hello.iproute2Version), \(hello.iptablesVersion.isEmpty ? "no iptables" : hello.iptablesVersion)"
                } else if let problem = report.unreachable[node.name] {
                    line += "  unreachable: \(problem.split(separator: "\n").first ?? "")"
                }
                text += line + "\n"
            }
        }
        return text
    }
}
