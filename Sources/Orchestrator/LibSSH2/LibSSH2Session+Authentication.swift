internal import CLibSSH2

/// User authentication on a session.
extension LibSSH2Session {
    /// Whether the server has accepted a user authentication.
    ///
    /// Wraps `libssh2_userauth_authenticated`.
    var isAuthenticated: Bool { libssh2_userauth_authenticated(raw) != 0 }

    /// Asks the server which methods it offers `user` (an SSH `none` request).
    ///
    /// Wraps `libssh2_userauth_list`.
    /// - Returns: Method names such as `publickey`; empty when the server let `user` in without any.
    /// - Throws: `LibSSH2Error`.
    func authenticationMethods(user: String, until deadline: ContinuousClock.Instant) throws(LibSSH2Error)
        -> [String]
    {
        let length = UInt32(user.utf8.count)
        do {
            let list = try callPointer("libssh2_userauth_list", until: deadline) {
                libssh2_userauth_list(raw, user, length)
            }
            return String(cString: list).split(separator: ",").map(String.init)
        } catch {
            if isAuthenticated { return [] }
            throw error
        }
    }

    /// Public-key authentication with a key file.
    ///
    /// Wraps `libssh2_userauth_publickey_fromfile_ex`.
    /// - Parameters:
    ///   - user: The remote user.
    ///   - publicKeyPath: The `.pub` file, or nil to derive the public key from the private key.
    ///   - privateKeyPath: The private key (OpenSSH or PEM format).
    ///   - passphrase: The key's passphrase, or nil. Never logged.
    /// - Throws: `LibSSH2Error`, e.g. `LIBSSH2_ERROR_AUTHENTICATION_FAILED` (the server refused the key) or
    ///   `LIBSSH2_ERROR_FILE` (the file could not be read or decrypted).
    func authenticate(
        user: String, publicKeyPath: String?, privateKeyPath: String, passphrase: String?,
        until deadline: ContinuousClock.Instant
    ) throws(LibSSH2Error) {
        let length = UInt32(user.utf8.count)
        _ = try call("libssh2_userauth_publickey_fromfile_ex", until: deadline) {
            libssh2_userauth_publickey_fromfile_ex(raw, user, length, publicKeyPath, privateKeyPath, passphrase)
        }
    }
}
