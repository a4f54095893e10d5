/// What the text of a private key file says about itself, without decrypting anything. Pure.
struct PrivateKeyFile: Equatable {
    /// Whether the key needs a passphrase.
    enum Protection: Equatable {
        /// A key that needs no passphrase.
        case plain
        /// A key encrypted with a passphrase.
        case encrypted
        /// Not a private key format testbed recognises; libssh2 will say more when it tries.
        case unrecognized
    }

    var protection: Protection
    /// The SSH key type (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`…) when the file shows it without
    /// decryption: always for the OpenSSH format, by the PEM label for `RSA`/`EC` keys.
    var keyType: String?

    private static let opensshMagic = Array("openssh-key-v1\u{0}".utf8)

    /// Classifies the contents of a key file: the OpenSSH format (`BEGIN OPENSSH PRIVATE KEY`, encrypted when its
    /// cipher is not `none`), or PEM (encrypted with a `Proc-Type: 4,ENCRYPTED` header, or PKCS#8
    /// `BEGIN ENCRYPTED PRIVATE KEY`).
    init(contents: String) {
        if contents.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            self = Self.parseOpenSSH(contents)
        } else if contents.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            self.init(protection: .encrypted, keyType: nil)
        } else if contents.contains("PRIVATE KEY-----") {
            let type: String? =
                contents.contains("BEGIN RSA PRIVATE KEY")
                ? "ssh-rsa"
                : contents.contains("BEGIN EC PRIVATE KEY") ? "ecdsa" : nil
            self.init(protection: contents.contains("Proc-Type: 4,ENCRYPTED") ? .encrypted : .plain, keyType: type)
        } else {
            self.init(protection: .unrecognized, keyType: nil)
        }
    }

    init(protection: Protection, keyType: String?) {
        self.protection = protection
        self.keyType = keyType
    }

    /// The OpenSSH format: magic, then SSH strings cipher name, KDF name, KDF options, a key count and the first
    /// public key (cleartext even in encrypted files).
    private static func parseOpenSSH(_ contents: String) -> PrivateKeyFile {
        let body = contents.split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }
            .map { $0.filter { !$0.isWhitespace } }
            .joined()
        guard let bytes = Base64.decode(body), bytes.starts(with: opensshMagic) else {
            return PrivateKeyFile(protection: .unrecognized, keyType: nil)
        }
        var reader = SSHWireReader(bytes: bytes, offset: opensshMagic.count)
        guard let cipher = reader.string() else { return PrivateKeyFile(protection: .unrecognized, keyType: nil) }
        let protection: Protection = String(decoding: cipher, as: UTF8.self) == "none" ? .plain : .encrypted
        _ = reader.string()  // KDF name
        _ = reader.string()  // KDF options
        _ = reader.uint32()  // number of keys
        let keyType = reader.string().flatMap(HostKey.embeddedType(of:))
        return PrivateKeyFile(protection: protection, keyType: keyType)
    }
}

/// Reads SSH wire-format fields (RFC 4251 §5) from a byte array.
struct SSHWireReader {
    var bytes: [UInt8]
    var offset: Int

    /// A big-endian 32-bit integer, or nil past the end.
    mutating func uint32() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        defer { offset += 4 }
        return bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A length-prefixed string, or nil when it does not fit.
    mutating func string() -> [UInt8]? {
        guard let length = uint32().map(Int.init), offset + length <= bytes.count else { return nil }
        defer { offset += length }
        return Array(bytes[offset..<(offset + length)])
    }
}
