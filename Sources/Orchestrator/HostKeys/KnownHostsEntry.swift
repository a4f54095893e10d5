/// Where a known_hosts line came from, printed as `file:line`.
struct KnownHostsLocation: Sendable, Hashable, CustomStringConvertible {
    var file: String
    /// 1-based.
    var line: Int

    var description: String { "\(file):\(line)" }
}

/// One key line of a known_hosts file.
struct KnownHostsEntry: Sendable, Hashable {
    /// The `@…` marker that may start a line.
    enum Marker: Sendable, Hashable {
        /// No marker: a trusted key for the hosts.
        case none
        /// `@revoked`: this key must never be accepted for the hosts.
        case revoked
        /// `@cert-authority`: a CA key. testbed does not use certificates, so these lines are ignored.
        case certificateAuthority
    }

    /// Which host names the line applies to.
    enum Hosts: Sendable, Hashable {
        /// A comma-separated list of patterns, for example `alfa,10.0.0.1,[10.0.0.1]:2222,*.lab,!bad.lab`.
        case patterns([HostPattern])
        /// `|1|salt|hash`: HMAC-SHA1 of the lowercased name keyed with the salt (written by `ssh-keygen -H`).
        case hashed(salt: [UInt8], hash: [UInt8])
    }

    var marker: Marker
    var hosts: Hosts
    var key: HostKey
    var comment: String
    var location: KnownHostsLocation

    /// Whether the line applies to `name` (a host name, `[host]:port`, or an alias).
    func matches(hostName name: String) -> Bool {
        switch hosts {
        case .patterns(let patterns):
            return HostPattern.listMatches(patterns, name: name)
        case .hashed(let salt, let hash):
            return Self.hashName(name, salt: salt) == hash
        }
    }

    var isHashed: Bool {
        if case .hashed = hosts { return true }
        return false
    }

    /// The HMAC-SHA1 of the lowercased `name` under `salt`, as OpenSSH computes hashed host names.
    static func hashName(_ name: String, salt: [UInt8]) -> [UInt8] {
        HostKeyCrypto.hmacSHA1(key: salt, message: Array(name.lowercased().utf8))
    }

    /// The host field of a hashed entry for `name`: `|1|base64(salt)|base64(hash)`.
    static func hashedHostField(_ name: String, salt: [UInt8]) -> String {
        "|1|" + Base64.encode(salt) + "|" + Base64.encode(hashName(name, salt: salt))
    }
}
