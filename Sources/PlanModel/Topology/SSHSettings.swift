/// How a node of a remote topology is reached: the `ssh` section of a node (merged with `defaults.ssh`).
public struct SSHSettings: Sendable, Hashable, Codable {
    public var host: String?
    public var port: Int
    public var user: String
    public var identityFiles: [String]
    public var knownHostsFiles: [String]
    /// The name looked up in known_hosts instead of the host (OpenSSH's HostKeyAlias).
    public var hostKeyAlias: String?
    /// A program whose stdin/stdout carry the SSH connection (OpenSSH's ProxyCommand; `%h %p %r` expand).
    public var proxyCommand: String?
    /// The environment variable holding the private key's passphrase.
    public var passphraseEnvironmentVariable: String?
    /// Accept and record the key of a host not in known_hosts (off by default: strict checking).
    public var acceptNewHostKeys: Bool
    public var useAgent: Bool
    /// An OpenSSH `ssh_config` to take the node from (`config:`); `host` then names its `Host` (the node's name
    /// when not given) and the file's settings apply as `ssh HOST` would use them.
    public var configFile: String?
    /// The network namespace (`/run/netns/NAME`) the first hop's TCP connection is made from.
    public var networkNamespace: String?
    /// Seconds for connecting, the handshake and authentication of each hop; nil: ssh_config's or 15.
    public var connectTimeoutSeconds: Int?
    /// Seconds between SSH keepalives on each hop (0: none); nil: ssh_config's or 30.
    public var keepaliveSeconds: Int?

    public init(
        host: String? = nil, port: Int = 22, user: String = "root", identityFiles: [String] = [],
        knownHostsFiles: [String] = [], hostKeyAlias: String? = nil, proxyCommand: String? = nil,
        passphraseEnvironmentVariable: String? = nil, acceptNewHostKeys: Bool = false, useAgent: Bool = true
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.identityFiles = identityFiles
        self.knownHostsFiles = knownHostsFiles
        self.hostKeyAlias = hostKeyAlias
        self.proxyCommand = proxyCommand
        self.passphraseEnvironmentVariable = passphraseEnvironmentVariable
        self.acceptNewHostKeys = acceptNewHostKeys
        self.useAgent = useAgent
    }
}
