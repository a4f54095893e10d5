internal import Logging

/// Host-key checking with OpenSSH's known_hosts semantics.
extension SSHConnectionAttempt {
    /// Reads the known_hosts files.
    /// - Throws: `ConnectionError` (`hostKeyUnknown`) when a file exists but cannot be read.
    func loadKnownHosts() throws(ConnectionError) -> KnownHosts {
        let store = KnownHostsStore(paths: endpoint.knownHostsFiles)
        let knownHosts: KnownHosts
        do {
            knownHosts = try store.load()
        } catch {
            throw failure(
                .hostKeyUnknown, "cannot read the known_hosts file",
                hint: "make the file readable, or name another one in known_hosts_files", cause: error.description)
        }
        for problem in knownHosts.problems.prefix(10) {
            logger.info("skipping a malformed known_hosts line", metadata: ["known_hosts.problem": "\(problem)"])
        }
        return knownHosts
    }

    /// Offers the key types known for the host first, as OpenSSH does, so a server with several host keys
    /// presents the one on record.
    func preferKnownKeyTypes(_ session: LibSSH2Session, knownHosts: KnownHosts, hostName: String) {
        let known = knownHosts.knownKeyTypes(for: hostName)
        guard !known.isEmpty else { return }
        let supported = session.supportedHostKeyAlgorithms()
        var preferred: [String] = []
        for type in known {
            let algorithms = type == "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type]
            preferred += algorithms.filter { supported.contains($0) && !preferred.contains($0) }
        }
        guard !preferred.isEmpty else { return }
        let order = preferred + supported.filter { !preferred.contains($0) }
        do {
            try session.preferHostKeyAlgorithms(order)
        } catch {
            logger.debug("could not set the host key algorithm preference", metadata: ["error": "\(error)"])
        }
    }

    /// Checks the server's key against the files.
    /// - Returns: The verified (or newly recorded) key.
    /// - Throws: `ConnectionError` with `hostKeyUnknown`, `hostKeyMismatch` or `hostKeyRevoked`.
    func verifyHostKey(_ session: LibSSH2Session, knownHosts: KnownHosts, hostName: String) throws(ConnectionError)
        -> HostKey
    {
        guard let blob = session.hostKeyBlob(), let key = HostKey(blob: blob) else {
            throw failure(
                .handshakeFailed, "the server sent no usable host key", hint: Self.reportHint,
                cause: session.lastErrorMessage())
        }
        let offered = "\(key.type) key \(key.fingerprint)"
        let files = KnownHostsStore(paths: endpoint.knownHostsFiles).paths
        switch knownHosts.verdict(for: key, hostName: hostName) {
        case .trusted(let entry):
            logger.debug(
                "host key verified",
                metadata: ["host_key": "\(key.fingerprint)", "known_hosts.entry": "\(entry.location)"])
            return key
        case .revoked(let entry):
            throw failure(
                .hostKeyRevoked, "the host key of '\(hostName)' (\(offered)) is marked @revoked at \(entry.location)",
                hint: "the node needs a new host key before testbed may connect; if the key was revoked by "
                    + "mistake, remove line \(entry.location.line) of \(entry.location.file)")
        case .changed(let known):
            let records = known.map { "\($0.location) records \($0.key.fingerprint)" }.joined(separator: ", ")
            throw failure(
                .hostKeyMismatch,
                "the host key of '\(hostName)' has changed: the server offered \(offered), but \(records)",
                hint: removalHint(hostName: hostName, entries: known))
        case .otherTypesKnown(let known):
            let records = known.map { "\($0.location) records \($0.key.type) \($0.key.fingerprint)" }
                .joined(separator: ", ")
            throw failure(
                .hostKeyMismatch,
                "the server of '\(hostName)' offered \(offered), a type not on record: \(records)",
                hint: removalHint(hostName: hostName, entries: known))
        case .unknown:
            let line = KnownHosts.entryLine(for: key, hostName: hostName, hashed: false, salt: [])
            guard endpoint.hostKeyPolicy == .acceptNew else {
                throw failure(
                    .hostKeyUnknown,
                    "host '\(hostName)' is not in \(files.joined(separator: ", ")); the server offered \(offered)",
                    hint: "check the fingerprint out of band, then append this line to \(files[0]): \(line) "
                        + "(or set the host key policy to accept-new to record it on first contact)")
            }
            return try record(key, hostName: hostName, knownHosts: knownHosts)
        }
    }

    /// Appends a first-seen key (policy `acceptNew`) and says so.
    private func record(_ key: HostKey, hostName: String, knownHosts: KnownHosts) throws(ConnectionError) -> HostKey {
        let store = KnownHostsStore(paths: endpoint.knownHostsFiles)
        do {
            let location = try store.append(key: key, hostName: hostName, current: knownHosts)
            // notice, not info: recording a new key is a trust decision the user should see, as OpenSSH's
            // "Permanently added … to the list of known hosts" warning is.
            logger.notice(
                "permanently added '\(hostName)' (\(key.shortTypeName) \(key.fingerprint)) to \(location)",
                metadata: ["known_hosts.entry": "\(location)"])
            return key
        } catch {
            throw failure(
                .hostKeyUnknown, "host '\(hostName)' is new, and its key could not be recorded in \(store.paths[0])",
                hint: "make \(store.paths[0]) writable, or add the key yourself", cause: error.description)
        }
    }

    /// What to run when a key changed on purpose.
    private func removalHint(hostName: String, entries: [KnownHostsEntry]) -> String {
        let files = entries.map(\.location.file).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let commands = files.map { "`ssh-keygen -R '\(hostName)' -f \($0)`" }.joined(separator: " and ")
        return "if the node's host key was changed on purpose (e.g. the lab was rebuilt), remove the old entry with "
            + "\(commands) and connect again; otherwise someone may be intercepting the connection"
    }
}
