public import PlanModel

/// What to do with a server whose host key is not in the known_hosts files.
public enum HostKeyPolicy: String, Sendable, Hashable, Codable {
    /// Refuse unknown hosts, like OpenSSH's `StrictHostKeyChecking yes`. The default.
    case strict
    /// Record an unknown host's key in the first known_hosts file and go on, like
    /// `StrictHostKeyChecking accept-new`. A changed key is still refused.
    case acceptNew
}

/// How to reach one node over SSH: the transport, the user, the credentials and the host-key checking.
public struct SSHEndpoint: Sendable, Hashable, Codable {
    /// How the byte stream to the SSH server is made.
    public enum Transport: Sendable, Hashable, Codable {
        /// A TCP connection to `host:port`.
        case tcp(host: String, port: Int)
        /// A program that speaks SSH on its standard input and output, like OpenSSH's `ProxyCommand`:
        ///
        /// e.g. `nsenter --target PID --net --mount --uts /usr/sbin/sshd -i -f CONFIG`, or `ssh -W %h:%p jump`.
        /// `executable` is an absolute path or a program name looked up in `PATH` and the sbin directories.
        case command(executable: String, arguments: [String])
    }

    public var transport: Transport
    public var user: String
    /// Private key files (OpenSSH or PEM format; ed25519, RSA, ECDSA), tried in order after the agent's keys.
    ///
    /// `~/` is expanded. Empty means OpenSSH's defaults that exist: `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`.
    public var identityFiles: [String]
    /// The environment variable holding the passphrase of encrypted identity files. With none set and standard
    /// input a terminal, testbed asks for the passphrase (without echo).
    public var passphraseEnvironmentVariable: String?
    /// Whether to try the keys of the ssh-agent at `SSH_AUTH_SOCK` first.
    public var useAgent: Bool
    /// known_hosts files; `~/` is expanded. New entries go to the first. Empty means `~/.ssh/known_hosts`.
    public var knownHostsFiles: [String]
    /// The name to look the host key up under instead of the host (OpenSSH's `HostKeyAlias`). The lab writes
    /// its entries under `tb-<lab>-<node>`. For a command transport without an alias, the node name is used.
    public var hostKeyAlias: String?
    public var hostKeyPolicy: HostKeyPolicy
    /// The limit for connecting, the handshake and authentication together.
    public var connectTimeout: Duration
    /// How often to send SSH keepalives, or nil for none.
    public var keepaliveInterval: Duration?
    /// OpenSSH's `ProxyJump`: SSH servers to go through, first hop first, each with its own user, keys,
    /// known_hosts and keepalives. Each hop after the first, and this endpoint, must be `.tcp` (the address as
    /// the previous hop sees it). Empty for a direct connection.
    public var jumpHosts: [SSHEndpoint] = []
    /// For a `.tcp` transport: the network namespace file (`/run/netns/NAME`) the connection is made from, e.g.
    /// the namespace of an LXD sandbox member or of the QEMU VMs' user-mode forwards. Nil: testbed's own.
    public var networkNamespace: String? = nil
    /// How the agent gets root when `user` is not root (`sudo`); nil: it runs as `user`.
    public var become: Become? = nil

    public init(
        transport: Transport, user: String, identityFiles: [String] = [], passphraseEnvironmentVariable: String? = nil,
        useAgent: Bool = true, knownHostsFiles: [String] = [], hostKeyAlias: String? = nil,
        hostKeyPolicy: HostKeyPolicy = .strict, connectTimeout: Duration = .seconds(15),
        keepaliveInterval: Duration? = .seconds(30)
    ) {
        self.transport = transport
        self.user = user
        self.identityFiles = identityFiles
        self.passphraseEnvironmentVariable = passphraseEnvironmentVariable
        self.useAgent = useAgent
        self.knownHostsFiles = knownHostsFiles
        self.hostKeyAlias = hostKeyAlias
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
        self.keepaliveInterval = keepaliveInterval
    }

    /// Where the endpoint points, for messages: `host:port`, or `proxy command <program> <arguments>` (shortened).
    public var address: String {
        switch transport {
        case .tcp(let host, let port):
            let direct = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            let inNamespace = networkNamespace.map { direct + " in " + $0 } ?? direct
            return jumpHosts.isEmpty
                ? inNamespace : inNamespace + " via " + jumpHosts.map(\.address).joined(separator: ", ")
        case .command(let executable, let arguments):
            let text = ([executable] + arguments).joined(separator: " ")
            return "proxy command " + (text.count > 80 ? String(text.prefix(79)) + "…" : text)
        }
    }

    /// The name host keys are looked up under (see ``hostKeyAlias``).
    /// - Parameter nodeName: The node's name, the fallback for a command transport without an alias.
    public func hostKeyLookupName(nodeName: String) -> String {
        switch transport {
        case .tcp(let host, let port):
            return KnownHosts.lookupName(host: host, port: port, alias: hostKeyAlias)
        case .command:
            return KnownHosts.lookupName(host: nodeName, port: 22, alias: hostKeyAlias)
        }
    }
}
