internal import CLibSSH2
internal import Logging

/// Public-key authentication: the agent's keys first, then identity files; every method tried is reported.
extension SSHConnectionAttempt {
    /// The identity files OpenSSH tries when none are configured, in its order.
    static let defaultIdentityFiles = ["~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa"]

    /// Authenticates ``SSHEndpoint/user``.
    /// - Throws: `ConnectionError`: `authenticationFailed` listing what was tried, or `timedOut`, `cancelled`,
    ///   `connectionLost`.
    mutating func authenticate(_ session: LibSSH2Session, proxy: ProxyCommandProcess?) throws(ConnectionError) {
        let user = endpoint.user
        let methods: [String]
        do {
            methods = try session.authenticationMethods(user: user, until: deadline)
        } catch {
            throw authenticationError(error, proxy: proxy, attempts: [])
        }
        if session.isAuthenticated {
            logger.debug("authenticated without credentials (the server accepted 'none')")
            return
        }
        guard methods.contains("publickey") else {
            throw failure(
                .authenticationFailed,
                "the server offers no public-key authentication for user '\(user)' (it offers: "
                    + "\(methods.joined(separator: ", ")))",
                hint: "enable PubkeyAuthentication in the node's sshd_config; testbed authenticates with keys only")
        }
        var attempts: [String] = []
        if endpoint.useAgent, try authenticateWithAgent(session, proxy: proxy, attempts: &attempts) { return }
        if try authenticateWithFiles(session, proxy: proxy, attempts: &attempts) { return }
        let refused = attempts.contains { $0.contains(": refused by the server") }
        let rsaNote =
            attempts.contains { $0.contains(Self.rsaNote) }
            ? "; RSA keys need `PubkeyAcceptedAlgorithms +ssh-rsa` in the node's sshd_config with this libssh2, so "
                + "prefer an ed25519 or ECDSA key" : ""
        throw failure(
            .authenticationFailed,
            refused ? "the server refused every key for user '\(user)'" : "no key could be offered for user '\(user)'",
            hint: refused
                ? "authorize one of these keys for '\(user)' on the node (~\(user)/.ssh/authorized_keys), or name a "
                    + "key it accepts in the identity files or load it into ssh-agent" + rsaNote
                : "name a private key in the identity files, or start ssh-agent with a key loaded (SSH_AUTH_SOCK)",
            cause: "tried: " + attempts.joined(separator: "; "))
    }

    /// Tries each key the agent holds.
    /// - Returns: True once authenticated.
    private func authenticateWithAgent(
        _ session: LibSSH2Session, proxy: ProxyCommandProcess?, attempts: inout [String]
    ) throws(ConnectionError) -> Bool {
        guard let socketPath = environment.agentSocketPath else {
            attempts.append("ssh-agent: SSH_AUTH_SOCK is not set")
            return false
        }
        let identities: [LibSSH2Agent.Identity]
        let agent: LibSSH2Agent
        do {
            agent = try LibSSH2Agent(session: session)
            try agent.connect(socketPath: socketPath)
            identities = try agent.identities()
        } catch {
            attempts.append("ssh-agent at \(socketPath): \(error)")
            return false
        }
        if identities.isEmpty { attempts.append("ssh-agent at \(socketPath): it holds no keys") }
        for identity in identities {
            let name = "agent key '\(identity.comment)' (\(HostKey.fingerprint(of: identity.blob)))"
            do {
                try agent.authenticate(user: endpoint.user, identity: identity, until: deadline)
                logger.debug("authenticated", metadata: ["auth.key": "\(name)"])
                return true
            } catch  where Self.isRefusal(error) {
                attempts.append("\(name): " + Self.refusalText(keyType: HostKey.embeddedType(of: identity.blob)))
            } catch {
                attempts.append("\(name): \(error)")
                throw authenticationError(error, proxy: proxy, attempts: attempts)
            }
        }
        return false
    }

    /// Tries each identity file, asking for passphrases where needed.
    /// - Returns: True once authenticated.
    private mutating func authenticateWithFiles(
        _ session: LibSSH2Session, proxy: ProxyCommandProcess?, attempts: inout [String]
    ) throws(ConnectionError) -> Bool {
        let configured = endpoint.identityFiles.map(LocalFile.expandTilde)
        let files =
            configured.isEmpty
            ? Self.defaultIdentityFiles.map(LocalFile.expandTilde).filter(LocalFile.exists) : configured
        if files.isEmpty {
            attempts.append(
                "identity files: none given, and none of \(Self.defaultIdentityFiles.joined(separator: ", ")) exists")
        }
        for path in files {
            let contents: [UInt8]
            do {
                guard let bytes = try LocalFile.contents(of: path) else {
                    attempts.append("\(path): no such file")
                    continue
                }
                contents = bytes
            } catch {
                attempts.append("\(path): \(error)")
                continue
            }
            let keyFile = PrivateKeyFile(contents: String(decoding: contents, as: UTF8.self))
            var passphrase: String? = nil
            if keyFile.protection == .encrypted {
                guard let obtained = obtainPassphrase(for: path, attempts: &attempts) else { continue }
                passphrase = obtained
            }
            let publicKey = LocalFile.exists(path + ".pub") ? path + ".pub" : nil
            do {
                try session.authenticate(
                    user: endpoint.user, publicKeyPath: publicKey, privateKeyPath: path, passphrase: passphrase,
                    until: deadline)
                logger.debug("authenticated", metadata: ["auth.key": "\(path)"])
                return true
            } catch  where Self.isRefusal(error) {
                let publicType = publicKey.flatMap(Self.publicKeyType(file:)) ?? keyFile.keyType
                attempts.append("\(path): " + Self.refusalText(keyType: publicType))
            } catch  where error.code == LIBSSH2_ERROR_FILE || error.code == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED {
                let reason =
                    keyFile.protection == .encrypted
                    ? "wrong passphrase, or a key format libssh2 cannot read"
                    : "a key "
                        + "format libssh2 cannot read"
                attempts.append("\(path): could not be loaded (\(reason): \(error.message))")
            } catch {
                attempts.append("\(path): \(error)")
                throw authenticationError(error, proxy: proxy, attempts: attempts)
            }
        }
        return false
    }

    /// The passphrase for an encrypted key: from the configured environment variable, else asked on the terminal.
    private mutating func obtainPassphrase(for path: String, attempts: inout [String]) -> String? {
        if let name = endpoint.passphraseEnvironmentVariable, let value = environment.variable(name) {
            return value
        }
        if let ask = environment.askPassphrase {
            let answer = ask("Enter passphrase for key '\(path)' (node \(nodeName)): ")
            deadline = ContinuousClock.now + endpoint.connectTimeout  // the wait for a person does not count
            if let answer { return answer }
        }
        let variable =
            endpoint.passphraseEnvironmentVariable.map { "$\($0) is not set" }
            ?? "no passphrase variable is configured"
        attempts.append(
            "\(path): encrypted, and no passphrase is available (\(variable), and standard input is not "
                + "a terminal)")
        return nil
    }

    /// Why an RSA key may be refused by a server that has it in authorized_keys.
    static var rsaNote: String {
        "libssh2 \(LibSSH2Library.version) signs with ssh-rsa (SHA-1) only, which OpenSSH 8.8 and later refuse "
            + "by default"
    }

    /// The text recorded for a refused key, explaining the RSA/SHA-1 case.
    private static func refusalText(keyType: String?) -> String {
        keyType == "ssh-rsa" ? "refused by the server (an RSA key: \(rsaNote))" : "refused by the server"
    }

    /// The key type in the first field of a `.pub` file.
    private static func publicKeyType(file path: String) -> String? {
        guard let bytes = try? LocalFile.contents(of: path) else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: " ").first.map(String.init)
    }

    /// Whether an authentication error only means the server did not accept this key.
    private static func isRefusal(_ error: LibSSH2Error) -> Bool {
        error.code == LIBSSH2_ERROR_AUTHENTICATION_FAILED || error.code == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED
    }

    /// A failure that ends authentication early: a timeout, a cancellation, or the server hanging up.
    private func authenticationError(_ error: LibSSH2Error, proxy: ProxyCommandProcess?, attempts: [String])
        -> ConnectionError
    {
        let tried = attempts.isEmpty ? "" : "; tried: " + attempts.joined(separator: "; ")
        if error.isTimeout {
            return failure(
                .timedOut, "authentication did not finish in time", hint: slowHint, cause: "\(error)\(tried)")
        }
        if error.isCancellation {
            return failure(.cancelled, "cancelled during authentication", hint: Self.cancelledHint, cause: "\(error)")
        }
        if error.isConnectionLoss {
            return failure(
                .authenticationFailed, "the server closed the connection during authentication",
                hint: "the server may allow fewer attempts than keys were offered (MaxAuthTries); name the right "
                    + "key in the identity files, or turn the agent off for this node",
                cause: proxyCause(proxy, error) + tried)
        }
        return failure(
            .authenticationFailed, "authentication failed", hint: Self.reportHint, cause: "\(error)\(tried)")
    }
}
