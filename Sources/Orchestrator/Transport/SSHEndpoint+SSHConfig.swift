public import PlanModel

/// How a host of a user's `ssh_config` becomes an endpoint: the same choices `ssh HOST` would make, within what
/// testbed supports.
extension SSHEndpoint {
    /// Why a host of an `ssh_config` cannot be reached the way the file says.
    public struct ConfigProblem: Error, Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var message: String
        public var description: String { "ssh_config host '\(host)': \(message)" }
    }

    /// The endpoint for `alias` and what testbed did differently from OpenSSH, in words.
    ///
    /// Jump hosts are resolved through the same document, each under its own name, so their `User`, `Port`,
    /// keys and known_hosts apply as they would for `ssh -J`; a jump host's own `ProxyJump` is followed too.
    /// - Throws: `ConfigProblem` for a jump loop or a jump host reached by `ProxyCommand`.
    public static func fromSSHConfig(_ document: SSHConfigDocument, host alias: String) throws(ConfigProblem)
        -> (endpoint: SSHEndpoint, notes: [String])
    {
        var notes: [String] = []
        var visiting: [String] = []
        let endpoint = try endpoint(
            document, config: document.resolve(host: alias), notes: &notes, visiting: &visiting)
        return (endpoint, notes)
    }

    private static func endpoint(
        _ document: SSHConfigDocument, config: SSHHostConfig, notes: inout [String], visiting: inout [String]
    ) throws(ConfigProblem) -> SSHEndpoint {
        guard !visiting.contains(config.alias) else {
            throw ConfigProblem(
                host: visiting[0], message: "ProxyJump loops: \((visiting + [config.alias]).joined(separator: " → "))")
        }
        visiting.append(config.alias)
        defer { visiting.removeLast() }
        let transport: Transport
        var jumps: [SSHEndpoint] = []
        switch config.proxy {
        case .direct:
            transport = .tcp(host: config.hostName, port: config.port ?? 22)
        case .command(let command):
            transport = .command(executable: "/bin/sh", arguments: ["-c", command])
        case .jump(let hops):
            transport = .tcp(host: config.hostName, port: config.port ?? 22)
            for hop in hops {
                var hopConfig = document.resolve(host: hop.host)
                if let user = hop.user { hopConfig.user = user }
                if let port = hop.port { hopConfig.port = port }
                let hopEndpoint = try endpoint(document, config: hopConfig, notes: &notes, visiting: &visiting)
                if case .command = hopEndpoint.transport {
                    throw ConfigProblem(
                        host: config.alias,
                        message: "jump host '\(hop.host)' is reached by ProxyCommand, which testbed cannot chain")
                }
                jumps += hopEndpoint.jumpHosts + [hopEndpoint.withoutJumps]
            }
        }
        var endpoint = SSHEndpoint(
            transport: transport, user: config.user ?? document.context.localUser,
            identityFiles: config.identityFiles, useAgent: config.identitiesOnly != true,
            knownHostsFiles: knownHosts(config), hostKeyAlias: config.hostKeyAlias,
            hostKeyPolicy: policy(config, notes: &notes), connectTimeout: .seconds(config.connectTimeout ?? 15),
            keepaliveInterval: keepalive(config))
        endpoint.jumpHosts = jumps
        for ignored in config.ignored { notes.append("\(config.alias): \(ignored)") }
        return endpoint
    }

    /// `UserKnownHostsFile none` means no file of the user's: nothing is trusted, and nothing is recorded.
    private static func knownHosts(_ config: SSHHostConfig) -> [String] {
        guard let files = config.userKnownHostsFiles else { return [] }
        return files.isEmpty ? ["/dev/null"] : files
    }

    private static func policy(_ config: SSHHostConfig, notes: inout [String]) -> HostKeyPolicy {
        switch config.hostKeyChecking {
        case nil, .strict: return .strict
        case .acceptNew: return .acceptNew
        case .ask:
            notes.append("\(config.alias): StrictHostKeyChecking ask is treated as yes (nobody is asked in a run)")
            return .strict
        case .off:
            notes.append(
                "\(config.alias): StrictHostKeyChecking no is treated as accept-new (a changed key is still refused)")
            return .acceptNew
        }
    }

    /// `ServerAliveInterval 0` turns keepalives off; unset keeps testbed's 30 s.
    private static func keepalive(_ config: SSHHostConfig) -> Duration? {
        guard let seconds = config.serverAliveInterval else { return .seconds(30) }
        return seconds == 0 ? nil : .seconds(seconds)
    }
}
