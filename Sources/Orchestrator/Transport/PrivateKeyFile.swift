/// What the text of a private key file says about itself, without decrypting anything. Pure.
enum PrivateKeyFile: Equatable {
    /// A key that needs no passphrase.
    case plain
    /// A key encrypted with a passphrase.
    case encrypted
    /// Not a private key format testbed recognises; libssh2 will say more when it tries.
    case unrecognized

    private static let opensshMagic = Array("openssh-key-v1\u{0}".utf8)

    /// Classifies the contents of a key file: the OpenSSH format (`BEGIN OPENSSH PRIVATE KEY`, encrypted when its
    /// cipher is not `none`), or PEM (encrypted with a `Proc-Type: 4,ENCRYPTED` header, or PKCS#8
    /// `BEGIN ENCRYPTED PRIVATE KEY`).
    init(contents: String) {
        if contents.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            self = Self.classifyOpenSSH(contents)
        } else if contents.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            self = .encrypted
        } else if contents.contains("PRIVATE KEY-----") {
            self = contents.contains("Proc-Type: 4,ENCRYPTED") ? .encrypted : .plain
        } else {
            self = .unrecognized
        }
    }

    private static func classifyOpenSSH(_ contents: String) -> PrivateKeyFile {
        let body = contents.split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }
            .map { $0.filter { !$0.isWhitespace } }
            .joined()
        guard let bytes = Base64.decode(body), bytes.starts(with: opensshMagic) else { return .unrecognized }
        // After the magic: string ciphername (uint32 big-endian length, then the name).
        let offset = opensshMagic.count
        guard bytes.count >= offset + 4 else { return .unrecognized }
        let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        guard length <= 64, bytes.count >= offset + 4 + length else { return .unrecognized }
        let cipher = String(decoding: bytes[(offset + 4)..<(offset + 4 + length)], as: UTF8.self)
        return cipher == "none" ? .plain : .encrypted
    }
}
