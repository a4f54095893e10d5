import Foundation
public import PlanModel

extension NodeTargets {
    /// The targets of a topology of existing machines: each node's `ssh` section, or the `Host` of an
    /// `ssh_config` it names (resolved as `ssh HOST` would, ProxyJump included); then `netns`, the timeouts and
    /// keepalives on every hop, and `become`.
    /// - Returns: The targets, and a line for every ssh_config directive testbed does not act on.
    /// - Throws: `InputErrors` for an ssh_config that cannot be read; `SessionError` for a host it cannot reach.
    public static func remote(_ topology: Topology) throws -> (targets: [(NodeName, NodeTarget)], notices: [String]) {
        let directory = URL(fileURLWithPath: topology.sourcePath).deletingLastPathComponent().path
        var documents: [String: SSHConfigDocument] = [:]
        var notices: [String] = []
        var targets: [(NodeName, NodeTarget)] = []
        for node in topology.nodes.values {
            guard let settings = node.ssh else { continue }
            var endpoint: SSHEndpoint
            if let file = settings.configFile {
                let path = expand(file, base: directory)
                let document = try documents[path] ?? SSHConfigDocument.load(path: path, context: .current)
                documents[path] = document
                do {
                    let resolved = try SSHEndpoint.fromSSHConfig(document, host: settings.host ?? node.name.rawValue)
                    endpoint = resolved.endpoint
                    notices += resolved.notes.map { "node '\(node.name)': ssh_config \($0)" }
                } catch {
                    throw SessionError(
                        code: .sshConfig, message: "node '\(node.name)': \(error.description)",
                        hint: "fix \(path), or give the node a plain ssh section")
                }
            } else {
                guard
                    case .ssh(let plain) = NodeTarget.ssh(settings: settings, node: node.name, baseDirectory: directory)
                else { continue }
                endpoint = plain
            }
            targets.append((node.name, .ssh(adjusted(endpoint, settings: settings, become: node.become))))
        }
        return (targets, notices)
    }

    /// The topology's `netns` for the first hop, its timeouts and keepalives for every hop, and `become`.
    static func adjusted(_ endpoint: SSHEndpoint, settings: SSHSettings, become: Become?) -> SSHEndpoint {
        var result = endpoint
        let apply = { (hop: inout SSHEndpoint) in
            if let seconds = settings.connectTimeoutSeconds { hop.connectTimeout = .seconds(seconds) }
            if let seconds = settings.keepaliveSeconds {
                hop.keepaliveInterval = seconds == 0 ? nil : .seconds(seconds)
            }
        }
        apply(&result)
        for index in result.jumpHosts.indices { apply(&result.jumpHosts[index]) }
        if let netns = settings.networkNamespace {
            if result.jumpHosts.isEmpty {
                result.networkNamespace = netns
            } else {
                result.jumpHosts[0].networkNamespace = netns
            }
        }
        result.become = become
        return result
    }

    /// `~/x` from the home directory, a relative path from the topology's directory.
    static func expand(_ path: String, base: String) -> String {
        if path.hasPrefix("~/") { return SSHConfigDocument.Context.current.homeDirectory + path.dropFirst(1) }
        return path.hasPrefix("/") ? path : base + "/" + path
    }
}

extension SSHConfigDocument.Context {
    /// The user testbed runs as: `HOME` (or /root) and `USER` (or root).
    public static var current: SSHConfigDocument.Context {
        SSHConfigDocument.Context(
            homeDirectory: ProcessEnvironment.value("HOME") ?? "/root",
            localUser: ProcessEnvironment.value("USER") ?? "root")
    }
}
