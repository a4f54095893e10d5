/// An Ethernet MAC address, written as six colon-separated hex pairs.
///
/// Printed in upper case, as the documentation writes it (`00:16:3E:FD:E2:AA`), because table names such
/// as `ntk_from_00:16:3E:FD:E2:AA` embed that exact spelling.
public struct MACAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let octets: [UInt8]

    /// Parses `aa:bb:cc:dd:ee:ff` (either case). Returns nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard part.count == 2, let value = UInt8(part, radix: 16) else { return nil }
            octets.append(value)
        }
        self.octets = octets
    }

    public var description: String {
        octets.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// The first octet's least significant bit marks multicast; such a MAC cannot be an interface's.
    public var isMulticast: Bool { octets[0] & 1 == 1 }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.octets.lexicographicallyPrecedes(rhs.octets) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = MACAddress(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "bad MAC \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
