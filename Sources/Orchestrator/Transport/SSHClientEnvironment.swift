/// What a connection takes from the process around it: the agent socket, passphrases, a terminal to ask on.
///
/// Injected so tests can supply an agent or a passphrase without touching the real environment.
struct SSHClientEnvironment: Sendable {
    /// The ssh-agent socket, usually `$SSH_AUTH_SOCK`.
    var agentSocketPath: String?
    /// Looks an environment variable up (for ``SSHEndpoint/passphraseEnvironmentVariable``).
    var variable: @Sendable (String) -> String?
    /// Asks a person for a passphrase, or nil when nobody can be asked.
    var askPassphrase: (@Sendable (_ prompt: String) -> String?)?

    /// The real process environment, and the terminal when standard input is one.
    static var current: SSHClientEnvironment {
        let socket = ProcessEnvironment.value("SSH_AUTH_SOCK")
        let lookup: @Sendable (String) -> String? = { name in ProcessEnvironment.value(name) }
        var ask: (@Sendable (String) -> String?)? = nil
        if PassphrasePrompt.isInteractive {
            ask = { @Sendable prompt in PassphrasePrompt.read(prompt: prompt) }
        }
        return SSHClientEnvironment(
            agentSocketPath: socket?.isEmpty == false ? socket : nil, variable: lookup, askPassphrase: ask)
    }
}
