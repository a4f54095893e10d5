internal import CLibSSH2

/// Owns one `LIBSSH2_AGENT*`: a connection to ssh-agent, used to authenticate a session with the agent's keys.
///
/// Keeps its session alive. The agent's socket is a local Unix socket in blocking mode; the session's own
/// traffic still goes through the session's non-blocking helper.
final class LibSSH2Agent {
    /// One key the agent holds. Valid only while its agent is alive.
    struct Identity {
        /// libssh2's record of the key, owned by the agent handle.
        let handle: UnsafeMutablePointer<libssh2_agent_publickey>
        /// The comment ssh-add recorded, usually the key file's path.
        let comment: String
        /// The public key blob.
        let blob: [UInt8]
    }

    let session: LibSSH2Session
    private let raw: OpaquePointer
    private var isConnected = false

    /// Creates an agent handle for `session`.
    ///
    /// Wraps `libssh2_agent_init`.
    /// - Throws: `LibSSH2Error` when the handle cannot be allocated.
    init(session: LibSSH2Session) throws(LibSSH2Error) {
        self.session = session
        guard let agent = libssh2_agent_init(session.raw) else {
            throw session.error("libssh2_agent_init", libssh2_session_last_errno(session.raw))
        }
        raw = agent
    }

    deinit {
        if isConnected { _ = libssh2_agent_disconnect(raw) }
        libssh2_agent_free(raw)
    }

    /// Connects to the agent listening on `socketPath`.
    ///
    /// Wraps `libssh2_agent_set_identity_path` and `libssh2_agent_connect`.
    /// - Throws: `LibSSH2Error` when no agent answers there.
    func connect(socketPath: String) throws(LibSSH2Error) {
        libssh2_agent_set_identity_path(raw, socketPath)
        let rc = libssh2_agent_connect(raw)
        if rc < 0 { throw session.error("libssh2_agent_connect", rc) }
        isConnected = true
    }

    /// The keys the agent holds.
    ///
    /// Wraps `libssh2_agent_list_identities` and `libssh2_agent_get_identity`.
    /// - Throws: `LibSSH2Error`.
    func identities() throws(LibSSH2Error) -> [Identity] {
        let rc = libssh2_agent_list_identities(raw)
        if rc < 0 { throw session.error("libssh2_agent_list_identities", rc) }
        var result: [Identity] = []
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>? = nil
        while true {
            var next: UnsafeMutablePointer<libssh2_agent_publickey>? = nil
            let status = libssh2_agent_get_identity(raw, &next, previous)
            if status == 1 { return result }  // end of the list
            if status < 0 { throw session.error("libssh2_agent_get_identity", status) }
            guard let next else { return result }
            let record = next.pointee
            let comment = record.comment.map { String(cString: $0) } ?? ""
            let blob = record.blob.map { Array(UnsafeBufferPointer(start: $0, count: Int(record.blob_len))) } ?? []
            result.append(Identity(handle: next, comment: comment, blob: blob))
            previous = next
        }
    }

    /// Authenticates `user` with one of the agent's keys.
    ///
    /// Wraps `libssh2_agent_userauth`.
    /// - Throws: `LibSSH2Error`, e.g. `LIBSSH2_ERROR_AUTHENTICATION_FAILED` when the server refuses the key.
    func authenticate(user: String, identity: Identity, until deadline: ContinuousClock.Instant) throws(LibSSH2Error) {
        _ = try session.call("libssh2_agent_userauth", until: deadline) {
            libssh2_agent_userauth(raw, user, identity.handle)
        }
    }
}
