import Foundation
import Orchestrator

/// Human-readable text for lab commands.
enum LabReport {
    static func up(_ summary: LabSummary, topologyPath: String) -> String {
        let paths = LabPaths(name: summary.name)
        var text = "lab '\(summary.name)' is up: \(summary.nodes.count) nodes in \(String(format: "%.2f", summary.setupSeconds)) s\n"
        text += "  ssh:   ssh -F \(paths.sshConfig) \(summary.nodes.first?.name ?? "NODE")\n"
        text += "  down:  testbed lab down -t \(topologyPath)\n"
        return text
    }

    static func status(_ statuses: [LabStatus], requested: String?) -> String {
        guard !statuses.isEmpty else {
            return requested.map { "lab '\($0)' is not up\n" } ?? "no lab is up\n"
        }
        var text = ""
        for status in statuses {
            let alive = status.nodes.filter(\.isAlive).count
            text += "\(status.name): \(status.state.rawValue), \(alive)/\(status.nodes.count) nodes running"
            if let created = status.createdAt { text += ", since \(created.formatted(.iso8601))" }
            text += "\n"
            if let config = status.sshConfig { text += "  ssh -F \(config) NODE\n" }
            for node in status.nodes {
                text += "  \(node.name.padding(toLength: 12, withPad: " ", startingAt: 0)) pid \(node.pid)\(node.isAlive ? "" : "  (gone)")\n"
            }
        }
        return text
    }
}
