public import PlanModel

/// How testbed reaches one node's agent.
public enum NodeTarget: Sendable, Hashable {
    /// Over SSH (a remote machine, or a lab node through `sshd -i`): one session, one long-lived agent channel.
    case ssh(SSHEndpoint)
    /// A local program whose stdin/stdout are the agent's (a lab node entered with `nsenter`, no SSH).
    /// Used to measure what SSH costs; runs only reach nodes on this machine.
    case local(executable: String, arguments: [String])

    /// Where the target points, for messages.
    public var address: String {
        switch self {
        case .ssh(let endpoint): endpoint.address
        case .local(let executable, let arguments):
            "local " + ([executable] + arguments.prefix(3)).joined(separator: " ")
        }
    }

    /// The target of a lab node over SSH: `sshd -i` started inside the node by `nsenter`, strict host keys
    /// against the lab's own known_hosts.
    public static func ssh(lab access: LabNodeAccess) -> NodeTarget {
        .ssh(
            SSHEndpoint(
                transport: .command(
                    executable: access.proxyCommand[0], arguments: Array(access.proxyCommand.dropFirst())),
                user: access.user, identityFiles: [access.identityFile], useAgent: false,
                knownHostsFiles: [access.knownHostsFile], hostKeyAlias: access.hostKeyAlias, hostKeyPolicy: .strict,
                connectTimeout: .seconds(15), keepaliveInterval: .seconds(30)))
    }

    /// The target of a lab node without SSH: the agent run inside the node's namespaces by `nsenter`.
    public static func local(lab access: LabNodeAccess, nsenter: String) -> NodeTarget {
        .local(
            executable: nsenter,
            arguments: ["--target", "\(access.pid)", "--net", "--mount", "--uts", "--", "/bin/bash", "-c"])
    }

    /// The target of a topology node with an `ssh` section. `%h`, `%p`, `%r` in a proxy command expand to the
    /// (validated, quoted) host, port and user, as in OpenSSH; relative key paths are taken from `baseDirectory`.
    public static func ssh(settings: SSHSettings, node: NodeName, baseDirectory: String) -> NodeTarget {
        let resolve = { (path: String) -> String in
            path.hasPrefix("/") || path.hasPrefix("~") ? path : baseDirectory + "/" + path
        }
        let host = settings.host ?? node.rawValue
        let transport: SSHEndpoint.Transport
        if let proxy = settings.proxyCommand {
            let expanded =
                proxy
                .replacingOccurrences(of: "%h", with: ShellWords.quote(host))
                .replacingOccurrences(of: "%p", with: "\(settings.port)")
                .replacingOccurrences(of: "%r", with: ShellWords.quote(settings.user))
            transport = .command(executable: "/bin/sh", arguments: ["-c", expanded])
        } else {
            transport = .tcp(host: host, port: settings.port)
        }
        return .ssh(
            SSHEndpoint(
                transport: transport, user: settings.user, identityFiles: settings.identityFiles.map(resolve),
                passphraseEnvironmentVariable: settings.passphraseEnvironmentVariable, useAgent: settings.useAgent,
                knownHostsFiles: settings.knownHostsFiles.map(resolve),
                hostKeyAlias: settings.hostKeyAlias ?? (settings.proxyCommand == nil ? nil : host),
                hostKeyPolicy: settings.acceptNewHostKeys ? .acceptNew : .strict))
    }
}
