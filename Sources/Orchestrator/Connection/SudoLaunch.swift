import Foundation
import NodeAgentProtocol
import PlanModel

/// How the agent is started on a node whose SSH user becomes root with sudo: asked once per connection with
/// `sudo -n true` on an exec channel; when sudo wants a password, it comes from the environment variable the
/// topology names, is checked with `sudo -S -k true`, and is then written as the first line of the agent
/// channel's input for `sudo -S -k -p ''` (sudo reads its password byte by byte, so the agent's frames that follow
/// are untouched). The password is never logged nor put on a command line.
struct SudoLaunch: Sendable {
    /// The command line for the agent channel.
    var command: String
    /// Bytes to write before the first frame (the password line), or none.
    var preamble: [UInt8]

    /// No sudo: the agent as the SSH user.
    static let direct = SudoLaunch(command: AgentScript.launchCommand, preamble: [])

    /// Decides how to start the agent for `become`.
    /// - Parameter execute: Runs a command on its own exec channel with the given input.
    /// - Throws: `ConnectionError` (`sudoNeedsPassword`, `notInSudoers`, `sudoFailed`).
    static func decide(
        _ become: Become, node: String, address: String, user: String,
        environment: (String) -> String? = ProcessEnvironment.value,
        execute: (String, [UInt8]) throws -> ProcessOutput
    ) throws -> SudoLaunch {
        let failure = { (code: ConnectionError.Code, message: String, hint: String, cause: String?) in
            ConnectionError(code: code, node: node, address: address, message: message, hint: hint, cause: cause)
        }
        let probe = try execute("sudo -n true", [])
        if probe.status.isSuccess {
            return SudoLaunch(command: AgentScript.launchCommand(through: ["sudo", "-n", "--"]), preamble: [])
        }
        let said = probe.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = classify(said, user: user, node: node, failure: failure) { throw problem }
        guard let variable = become.passwordEnvironmentVariable else {
            throw failure(
                .sudoNeedsPassword, "sudo on the node needs a password for user '\(user)'",
                "give the node `become: {method: sudo, password_env: NAME}` and set NAME in testbed's environment, or allow the user NOPASSWD in sudoers",
                said)
        }
        guard let password = environment(variable), !password.isEmpty else {
            throw failure(
                .sudoNeedsPassword, "sudo on the node needs a password and \(variable) is not set",
                "export \(variable) with user '\(user)''s password before running testbed", said)
        }
        let preamble = Array((password + "\n").utf8)
        let check = try execute("sudo -S -k -p '' true", preamble)
        guard check.status.isSuccess else {
            let text = check.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = classify(text, user: user, node: node, failure: failure) { throw problem }
            throw failure(
                .sudoFailed, "sudo refused the password in \(variable) for user '\(user)'",
                "check the password in \(variable)", text)
        }
        return SudoLaunch(
            command: AgentScript.launchCommand(through: ["sudo", "-S", "-k", "-p", "''", "--"]), preamble: preamble)
    }

    /// The failures that no password changes: not in sudoers, no sudo at all.
    static func classify(
        _ stderr: String, user: String, node: String,
        failure: (ConnectionError.Code, String, String, String?) -> ConnectionError
    ) -> ConnectionError? {
        let lower = stderr.lowercased()
        if lower.contains("not in the sudoers") || lower.contains("may not run sudo")
            || lower.contains("not allowed to execute")
        {
            return failure(
                .notInSudoers, "user '\(user)' may not run sudo on node '\(node)'",
                "add the user to the sudoers (e.g. the sudo group) on the node, or connect as root", stderr)
        }
        if lower.contains("command not found") || lower.contains("sudo: not found") {
            return failure(
                .sudoFailed, "sudo is not installed on node '\(node)'", "install sudo, or connect as root", stderr)
        }
        return nil
    }
}
