public import PlanModel

/// The mapping of Netsukuku addresses to IPv4 addresses for any scheme (domain.md §2.2).
///
/// Everything lives in 10.0.0.0/8. The address takes the low `B` = Σ log2(gsize) bits, level 0 lowest;
/// the two bits above it are the type: `00` global, `01` internal to a g-node, `10` anonymising.
/// An internal-Lk address stores k in the top level's bits and the ids below level k.
public struct IPMapping: Sendable, Hashable {
    public let scheme: AddressScheme

    /// 10.0.0.0.
    public static let base: UInt32 = 10 << 24

    public init(scheme: AddressScheme) { self.scheme = scheme }

    var internalFlag: UInt32 { 1 << UInt32(scheme.addressBits) }
    var anonymousFlag: UInt32 { 1 << UInt32(scheme.addressBits + 1) }

    /// The IPv4 address at `value` above 10.0.0.0.
    public func ip(_ value: UInt32) -> IPAddress { .v4(Self.base | value) }

    func prefix(_ value: UInt32, hostBits: Int) -> IPPrefix {
        IPPrefix(address: ip(value), length: 32 - hostBits)
    }

    /// Σ ids[i] << offset(i) over `levels` (the ids must be real there).
    func bits(_ address: NetsukukuAddress, levels: Range<Int>) -> UInt32 {
        levels.reduce(0) { $0 | UInt32(address.ids[$1]) << UInt32(scheme.offsets[$1]) }
    }

    /// The global IP; nil unless the address is fully real.
    public func globalIP(of address: NetsukukuAddress) -> IPAddress? {
        guard address.isReal(in: scheme) else { return nil }
        return ip(bits(address, levels: 0..<scheme.levels))
    }

    /// The anonymising IP (global | the anonymising type bit); nil unless fully real.
    public func anonymousIP(of address: NetsukukuAddress) -> IPAddress? {
        guard address.isReal(in: scheme) else { return nil }
        return ip(bits(address, levels: 0..<scheme.levels) | anonymousFlag)
    }

    /// The address internal to the node's level-`level` g-node (1 … levels−1); nil when an id below
    /// `level` is virtual. Level 0 is `localhost`.
    public func internalIP(of address: NetsukukuAddress, level: Int) -> IPAddress? {
        guard level > 0 else { return localhost }
        guard level < scheme.levels, address.isReal(levels: 0..<level, in: scheme) else { return nil }
        return ip(internalFlag | levelTag(level) | bits(address, levels: 0..<level))
    }

    func levelTag(_ level: Int) -> UInt32 { UInt32(level) << UInt32(scheme.offsets[scheme.topLevel]) }

    /// The internal-L0 address every system puts on `lo` ("synonym of localhost"): 10.0.0.32 in 4·2·2·2.
    public var localhost: IPAddress { ip(internalFlag) }

    /// Every global address: 10.0.0.0/27 in 4·2·2·2.
    public var globalRange: IPPrefix { prefix(0, hostBits: scheme.addressBits) }
    /// Every anonymising address, the SNAT match: 10.0.0.64/27 in 4·2·2·2.
    public var anonymousRange: IPPrefix { prefix(anonymousFlag, hostBits: scheme.addressBits) }
    /// Every internal address: 10.0.0.32/27 in 4·2·2·2.
    public var internalRange: IPPrefix { prefix(internalFlag, hostBits: scheme.addressBits) }
    /// All three ranges together: 10.0.0.0/25 in 4·2·2·2 (what a subnet host routes via its gateway).
    public var wholeRange: IPPrefix { prefix(0, hostBits: scheme.addressBits + 2) }

    /// Every address internal to some level-`level` g-node: 10.0.0.56/29 for level 3 in 4·2·2·2.
    public func internalRange(level: Int) -> IPPrefix {
        prefix(internalFlag | levelTag(level), hostBits: scheme.offsets[level])
    }

    /// Own IPs of a principal identity in the pages' order: global, anonymising (when the system accepts
    /// anonymous contact), then internal from the top level down to `subnetLevel`+1, each only when it can be
    /// computed. A gateway's internal-L(subnetLevel) and below belong to its subnet.
    public func ownAddresses(
        of address: NetsukukuAddress, acceptsAnonymous: Bool = true, subnetLevel: Int = 0
    ) -> [OwnAddress] {
        var result: [OwnAddress] = []
        if let global = globalIP(of: address) {
            result.append(OwnAddress(ip: global, kind: .global))
            if acceptsAnonymous, let anonymous = anonymousIP(of: address) {
                result.append(OwnAddress(ip: anonymous, kind: .anonymous))
            }
        }
        for level in stride(from: scheme.topLevel, through: max(1, subnetLevel + 1), by: -1) {
            if let ip = internalIP(of: address, level: level) {
                result.append(OwnAddress(ip: ip, kind: .internal(level: level)))
            }
        }
        return result
    }

    /// The own IP that is a route's preferred source for prefixes of `kind`: the global IP for global and
    /// anonymising prefixes, the internal-Lk IP for internal-Lk prefixes.
    public func sourceIP(of address: NetsukukuAddress, for kind: PrefixKind) -> IPAddress? {
        switch kind {
        case .global, .anonymous: globalIP(of: address)
        case .internal(let level): internalIP(of: address, level: level)
        }
    }
}
