/// An address with a prefix length, as `ip` takes it: `10.0.0.16/31`, or a bare `10.0.0.32` meaning /32.
///
/// The address is kept as written (host bits included), because `ip address add 10.0.0.29/24` keeps them;
/// `network` gives the masked form that routes use.
public struct IPPrefix: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let address: IPAddress
    public let length: Int

    public init(address: IPAddress, length: Int) {
        self.address = address
        self.length = length
    }

    /// Parses `ADDR` or `ADDR/LEN`. Returns nil for malformed text or an out-of-range length.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...address.bitWidth).contains(length),
                parts[1].allSatisfy(\.isASCII)
            else { return nil }
            self.init(address: address, length: length)
        } else {
            self.init(address: address, length: address.bitWidth)
        }
    }

    /// The prefix with host bits cleared, as the kernel stores a route's destination.
    public var network: IPPrefix {
        switch address {
        case .v4(let value):
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - length)
            return IPPrefix(address: .v4(value & mask), length: length)
        case .v6(let bytes):
            var masked = bytes
            for index in 0..<16 {
                let bitsHere = max(0, min(8, length - index * 8))
                masked[index] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
            }
            return IPPrefix(address: .v6(masked), length: length)
        }
    }

    public var isHost: Bool { length == address.bitWidth }

    /// True when `other` lies inside this prefix.
    public func contains(_ other: IPAddress) -> Bool {
        IPPrefix(address: other, length: length).network.address == network.address
    }

    /// `10.0.0.32` for a host prefix (how `ip` prints it), `10.0.0.16/31` otherwise.
    public var description: String { isHost ? address.description : "\(address)/\(length)" }

    /// Always with the length: `10.0.0.32/32`.
    public var withLength: String { "\(address)/\(length)" }

    public static func < (lhs: IPPrefix, rhs: IPPrefix) -> Bool {
        (lhs.address, lhs.length) < (rhs.address, rhs.length)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = IPPrefix(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "bad prefix \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(withLength)
    }
}
