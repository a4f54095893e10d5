#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address, parsed strictly (`inet_pton` rules) and printed canonically.
public enum IPAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case v4(UInt32)
    case v6([UInt8])

    public init?(_ text: some StringProtocol) {
        let string = String(text)
        if string.contains(":") {
            var storage = in6_addr()
            guard inet_pton(AF_INET6, string, &storage) == 1 else { return nil }
            self = .v6(withUnsafeBytes(of: &storage) { Array($0) })
        } else {
            // inet_pton accepts only dotted quads for AF_INET, unlike inet_aton ("10.1" is refused).
            var storage = in_addr()
            guard inet_pton(AF_INET, string, &storage) == 1 else { return nil }
            self = .v4(UInt32(bigEndian: storage.s_addr))
        }
    }

    public var isV4: Bool { if case .v4 = self { true } else { false } }

    /// Address width in bits: 32 or 128.
    public var bitWidth: Int { isV4 ? 32 : 128 }

    public var description: String {
        switch self {
        case .v4(let value):
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        case .v6(var bytes):
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let text = bytes.withUnsafeMutableBytes { raw in
                inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count))
            }
            return text == nil
                ? "::" : String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// True for 169.254.0.0/16 and fe80::/10, the link-local ranges.
    public var isLinkLocal: Bool {
        switch self {
        case .v4(let value): value >> 16 == 0xA9FE
        case .v6(let bytes): bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v6(let a), .v6(let b)): a.lexicographicallyPrecedes(b)
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = IPAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad IP \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
