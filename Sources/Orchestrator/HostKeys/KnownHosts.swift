/// What the known_hosts files say about a server's host key.
enum HostKeyVerdict: Sendable, Hashable {
    /// An entry for the host holds this very key.
    case trusted(KnownHostsEntry)
    /// A `@revoked` entry for the host holds this key: refuse, whatever else the files say.
    case revoked(KnownHostsEntry)
    /// Entries for the host hold a different key of the same type: the host key changed (or an attacker's).
    case changed(known: [KnownHostsEntry])
    /// Entries for the host hold keys only of other types. OpenSSH asks the user here; testbed refuses, since it
    /// prefers the known types in the key exchange and a server offering none of them is suspicious.
    case otherTypesKnown(known: [KnownHostsEntry])
    /// No entry applies to the host.
    case unknown
}

/// Known-hosts checking over several parsed files, with OpenSSH's semantics. Pure: no I/O.
struct KnownHosts: Sendable, Hashable {
    var files: [KnownHostsFile]

    init(files: [KnownHostsFile]) {
        self.files = files
    }

    /// Every entry of every file, in order.
    var entries: [KnownHostsEntry] { files.flatMap(\.entries) }

    /// Every malformed line of every file.
    var problems: [KnownHostsProblem] { files.flatMap(\.problems) }

    /// The name OpenSSH looks a server up under: the alias if one is set, else `host` for port 22 and
    /// `[host]:port` for any other port.
    static func lookupName(host: String, port: Int, alias: String?) -> String {
        if let alias, !alias.isEmpty { return alias }
        return port == 22 ? host : "[\(host)]:\(port)"
    }

    /// The plain entries (no marker) that apply to `hostName`, in file order.
    func trustedEntries(for hostName: String) -> [KnownHostsEntry] {
        entries.filter { $0.marker == .none && $0.matches(hostName: hostName) }
    }

    /// The key types known for `hostName`, in file order without repeats: the host-key algorithms to prefer.
    func knownKeyTypes(for hostName: String) -> [String] {
        var seen: [String] = []
        for entry in trustedEntries(for: hostName) where !seen.contains(entry.key.type) {
            seen.append(entry.key.type)
        }
        return seen
    }

    /// Judges the key a server presented under `hostName`.
    func verdict(for key: HostKey, hostName: String) -> HostKeyVerdict {
        let applicable = entries.filter { $0.marker != .certificateAuthority && $0.matches(hostName: hostName) }
        if let revoked = applicable.first(where: { $0.marker == .revoked && $0.key == key }) {
            return .revoked(revoked)
        }
        let trusted = applicable.filter { $0.marker == .none }
        if let match = trusted.first(where: { $0.key == key }) {
            return .trusted(match)
        }
        let sameType = trusted.filter { $0.key.type == key.type }
        if !sameType.isEmpty { return .changed(known: sameType) }
        if !trusted.isEmpty { return .otherTypesKnown(known: trusted) }
        return .unknown
    }

    /// The line to append for `hostName`, hashed when the target file already hashes its names.
    /// - Parameters:
    ///   - key: The server's key.
    ///   - hostName: The lookup name (see ``lookupName(host:port:alias:)``).
    ///   - hashed: Whether to hash the name.
    ///   - salt: 20 random bytes, used when `hashed`.
    /// - Returns: The line, without a newline.
    static func entryLine(for key: HostKey, hostName: String, hashed: Bool, salt: [UInt8]) -> String {
        let hostField = hashed ? KnownHostsEntry.hashedHostField(hostName, salt: salt) : hostName
        return "\(hostField) \(key.knownHostsText)"
    }
}
