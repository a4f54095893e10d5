public import PlanModel

/// One `iptables -t nat` rule, kept as its chain and the spec after `-A CHAIN` so the same text serves to
/// add it (`-A`) and to delete it (`-D`).
public struct NATRule: Sendable, Hashable, Codable {
    public var chain: String
    public var spec: String

    public init(chain: String, spec: String) {
        self.chain = chain
        self.spec = spec
    }

    public var addCommand: String { "iptables -t nat -A \(chain) \(spec)" }
    public var deleteCommand: String { "iptables -t nat -D \(chain) \(spec)" }
}

/// The NAT of an autonomous subnet's gateway and of an anonymiser (domain.md §2.4).
///
/// A gateway with `subnetLevel` s represents the g-node of level s around it: its hosts have internal-Ls
/// addresses (range1), and the gateway maps that range onto the g-node's internal-Lk ranges for k > s and
/// onto its global and anonymising ranges.
public struct SubnetMapping: Sendable, Hashable {
    public let mapping: IPMapping
    public let subnetLevel: Int

    public init(mapping: IPMapping, subnetLevel: Int) {
        self.mapping = mapping
        self.subnetLevel = subnetLevel
    }

    var scheme: AddressScheme { mapping.scheme }
    var hostBits: Int { scheme.offsets[subnetLevel] }

    /// The subnet inside its own g-node: 10.0.0.40/31 for λ.
    public var insideRange: IPPrefix {
        mapping.prefix(mapping.internalFlag | mapping.levelTag(subnetLevel), hostBits: hostBits)
    }

    /// The subnet as internal to the gateway's level-`level` g-node (level > subnetLevel), or as global.
    func range(of address: NetsukukuAddress, kind: PrefixKind) -> IPPrefix {
        let top = scheme.levels
        switch kind {
        case .internal(let level):
            let value =
                mapping.internalFlag | mapping.levelTag(level) | mapping.bits(address, levels: subnetLevel..<level)
            return mapping.prefix(value, hostBits: hostBits)
        case .global: return mapping.prefix(mapping.bits(address, levels: subnetLevel..<top), hostBits: hostBits)
        case .anonymous:
            let value = mapping.bits(address, levels: subnetLevel..<top) | mapping.anonymousFlag
            return mapping.prefix(value, hostBits: hostBits)
        }
    }

    /// The NETMAP rules for a gateway at `address`, in the script's order: every PREROUTING rule from the top
    /// level down, then every POSTROUTING rule from the subnet level up. Empty unless the ids from the subnet
    /// level up are real. The global POSTROUTING rule keeps the script's double space (`/27  -s`), which a
    /// later `-D` must repeat.
    public func netmapRules(of address: NetsukukuAddress, acceptsAnonymous: Bool) -> [NATRule] {
        let top = scheme.topLevel
        guard subnetLevel > 0, address.isReal(levels: subnetLevel..<scheme.levels, in: scheme) else { return [] }
        let inside = insideRange.withLength
        var pre: [NATRule] = []
        var post: [NATRule] = []
        func netmap(_ destination: IPPrefix) -> NATRule {
            NATRule(chain: "PREROUTING", spec: "-d \(destination.withLength) -j NETMAP --to \(inside)")
        }
        for level in stride(from: top, through: subnetLevel, by: -1) {
            if level == top {
                pre.append(netmap(range(of: address, kind: .global)))
                if acceptsAnonymous { pre.append(netmap(range(of: address, kind: .anonymous))) }
            } else {
                pre.append(netmap(range(of: address, kind: .internal(level: level + 1))))
            }
        }
        for level in subnetLevel...top {
            if level == top {
                let global = range(of: address, kind: .global).withLength
                post.append(
                    NATRule(
                        chain: "POSTROUTING",
                        spec: "-d \(mapping.globalRange.withLength)  -s \(inside) -j NETMAP --to \(global)"))
                post.append(
                    NATRule(
                        chain: "POSTROUTING",
                        spec: "-d \(mapping.anonymousRange.withLength) -s \(inside) -j NETMAP --to \(global)"))
            } else {
                let target = range(of: address, kind: .internal(level: level + 1)).withLength
                let all = mapping.internalRange(level: level + 1).withLength
                post.append(NATRule(chain: "POSTROUTING", spec: "-d \(all) -s \(inside) -j NETMAP --to \(target)"))
            }
        }
        return pre + post
    }

    /// The anonymiser's rule: anonymising destinations leave with the node's global IP as source.
    public static func snatRule(mapping: IPMapping, global: IPAddress) -> NATRule {
        NATRule(chain: "POSTROUTING", spec: "-d \(mapping.anonymousRange.withLength) -j SNAT --to \(global)")
    }

    /// A subnet host's internal-L(subnetLevel) address, from its ids below the subnet level.
    public func hostIP(lowerIDs: [Int]) -> IPAddress {
        var value = mapping.internalFlag | mapping.levelTag(subnetLevel)
        for (level, id) in lowerIDs.enumerated() { value |= UInt32(id) << UInt32(scheme.offsets[level]) }
        return mapping.ip(value)
    }

    /// The gateway's own internal-L(subnetLevel) address: its ids below the subnet level.
    public func gatewayIP(of address: NetsukukuAddress) -> IPAddress {
        hostIP(lowerIDs: Array(address.ids[..<subnetLevel]))
    }
}
