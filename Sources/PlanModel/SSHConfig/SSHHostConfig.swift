/// What an `ssh_config` says about one host, after first-match-wins evaluation and token expansion: the values
/// testbed uses to reach it. Nil or empty means the file says nothing (OpenSSH's default applies).
public struct SSHHostConfig: Sendable, Hashable {
    /// One hop of `ProxyJump`: `[user@]host[:port]` or `ssh://[user@]host[:port]`.
    public struct JumpHop: Sendable, Hashable, CustomStringConvertible {
        public var user: String?
        public var host: String
        public var port: Int?

        public init(user: String? = nil, host: String, port: Int? = nil) {
            self.user = user
            self.host = host
            self.port = port
        }

        public var description: String {
            let address = host.contains(":") ? "[\(host)]" : host
            return (user.map { $0 + "@" } ?? "") + address + (port.map { ":\($0)" } ?? "")
        }
    }

    /// `StrictHostKeyChecking`.
    public enum HostKeyChecking: String, Sendable, Hashable {
        /// `yes`: only keys on record.
        case strict
        /// `accept-new`: record the key of a new host, refuse a changed one.
        case acceptNew
        /// `no` / `off`: OpenSSH accepts changed keys too; testbed treats it as accept-new and says so.
        case off
        /// `ask`: there is nobody to ask in a run; testbed treats it as strict.
        case ask
    }

    /// How the connection is carried, from `ProxyJump` or `ProxyCommand` (whichever came first).
    public enum Proxy: Sendable, Hashable {
        /// A direct TCP connection (`none`, or nothing said).
        case direct
        /// Through these SSH servers, first hop first.
        case jump([JumpHop])
        /// A program speaking SSH on its standard input and output; `%h %p %r %n %%` already expanded.
        case command(String)
    }

    /// The name asked for (`ssh NAME`).
    public var alias: String
    /// `HostName`, expanded; the alias when not set.
    public var hostName: String
    public var port: Int?
    public var user: String?
    /// `IdentityFile`s in order, `~` and tokens expanded.
    public var identityFiles: [String] = []
    public var identitiesOnly: Bool?
    public var proxy: Proxy = .direct
    /// `UserKnownHostsFile` (several allowed), `~` and tokens expanded; `none` gives an empty list.
    public var userKnownHostsFiles: [String]?
    public var hostKeyChecking: HostKeyChecking?
    public var hostKeyAlias: String?
    /// Seconds.
    public var serverAliveInterval: Int?
    public var serverAliveCountMax: Int?
    /// Seconds.
    public var connectTimeout: Int?
    /// Directives that applied to this host but that testbed does not act on, in file order.
    public var ignored: [SSHConfigDocument.IgnoredDirective] = []

    public init(alias: String) {
        self.alias = alias
        self.hostName = alias
    }
}
