/// A server's public host key: its SSH type name and the wire-format blob (as in a known_hosts line, base64-decoded).
struct HostKey: Sendable, Hashable, CustomStringConvertible {
    /// The key type as written in known_hosts, for example `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`.
    var type: String
    /// The public key in SSH wire format; it starts with `type` as an SSH string.
    var blob: [UInt8]

    /// Reads the type from the blob itself.
    /// - Parameter blob: The key in SSH wire format, e.g. from `libssh2_session_hostkey`.
    /// - Returns: nil when the blob does not start with a plausible type name.
    init?(blob: [UInt8]) {
        guard let type = Self.embeddedType(of: blob) else { return nil }
        self.type = type
        self.blob = blob
    }

    /// The type name an SSH wire-format key blob starts with: a big-endian 32-bit length, then that many bytes.
    static func embeddedType(of blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length <= 64, blob.count >= 4 + length else { return nil }
        let name = blob[4..<(4 + length)]
        guard name.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    /// The fingerprint exactly as OpenSSH prints it: `SHA256:` and the unpadded base64 of the blob's SHA-256.
    var fingerprint: String { Self.fingerprint(of: blob) }

    /// The OpenSSH `SHA256:` fingerprint of a key blob.
    static func fingerprint(of blob: [UInt8]) -> String {
        "SHA256:" + Base64.encode(HostKeyCrypto.sha256(blob), padded: false)
    }

    /// The name `ssh-keygen -l` shows for the type, for example `ED25519`, `RSA`, `ECDSA`.
    var shortTypeName: String {
        switch type {
        case "ssh-ed25519": "ED25519"
        case "ssh-rsa": "RSA"
        case "ssh-dss": "DSA"
        case let other where other.hasPrefix("ecdsa-sha2-"): "ECDSA"
        default: type
        }
    }

    /// The key as the middle of a known_hosts line: `type base64`.
    var knownHostsText: String { "\(type) \(Base64.encode(blob))" }

    var description: String { "\(type) \(fingerprint)" }
}
