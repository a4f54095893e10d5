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
        guard let fd = try? SystemCall.open("/dev/urandom", O_RDONLY) else { return nil }
        defer { SystemCall.close(fd) }
        return try? SystemCall.readExactly(fd, count: count)
    }
}
