internal import CLibSSH2

#if canImport(Glibc)
    import Glibc
#endif

/// The few cryptographic primitives host-key checking needs, from OpenSSL's libcrypto (which libssh2 links).
enum HostKeyCrypto {
    /// SHA-256 of `bytes`: the digest behind OpenSSH's `SHA256:` fingerprints.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            _ = digest.withUnsafeMutableBufferPointer { output in
                SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest
    }

    /// HMAC-SHA1 of `message` under `key`: how OpenSSH hashes host names in known_hosts (`|1|salt|hash`).
    static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                _ = digest.withUnsafeMutableBufferPointer { output in
                    HMAC(
                        EVP_sha1(), keyBuffer.baseAddress, Int32(keyBuffer.count), messageBuffer.baseAddress,
                        messageBuffer.count, output.baseAddress, &length)
                }
            }
        }
        return Array(digest.prefix(Int(length)))
    }

    /// `count` random bytes from the kernel (`/dev/urandom`), for the salt of a new hashed entry.
    /// - Returns: The bytes, or nil if the kernel's generator cannot be read.
    static func randomBytes(_ count: Int) -> [UInt8]? {
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { raw in
                read(fd, raw.baseAddress.map { $0 + filled }, count - filled)
            }
            if got > 0 {
                filled += got
            } else if got < 0 && errno == EINTR {
                continue
            } else {
                return nil
            }
        }
        return bytes
    }
}
