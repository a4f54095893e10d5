/// How the agent gets root on a node reached as an unprivileged user: `become: sudo` (OpenSSH users know the
/// word from Ansible). The agent is started through `sudo -n`; when sudo asks for a password, it is read from
/// the environment variable `passwordEnvironmentVariable` of testbed's own environment and never logged.
public struct Become: Sendable, Hashable, Codable {
    public enum Method: String, Sendable, Hashable, Codable {
        case sudo
    }

    public var method: Method
    /// The environment variable holding the sudo password, when sudo asks for one.
    public var passwordEnvironmentVariable: String?

    public init(method: Method = .sudo, passwordEnvironmentVariable: String? = nil) {
        self.method = method
        self.passwordEnvironmentVariable = passwordEnvironmentVariable
    }
}
