extension IPMapping {
    /// The destinations of an identity at `address`, with their prefixes, in the enumeration order of the
    /// pages and the script (domain.md §2.2): levels from the top down to `max(subnetLevel, lowestLevel)`,
    /// at each level the sibling ids in increasing order (every real id when the own id is virtual), and for
    /// each sibling its global and anonymising prefixes, then its internal ones from the top level down —
    /// each only when it can be computed.
    ///
    /// `lowestLevel` is for connectivity identities, which do not list the destinations inside their own
    /// connectivity g-node (seed 000: 17 prefixes for 2·1·3·1).
    public func destinations(
        of address: NetsukukuAddress, subnetLevel: Int = 0, lowestLevel: Int = 0
    ) -> [Destination] {
        var result: [Destination] = []
        let top = scheme.topLevel
        for level in stride(from: top, through: max(subnetLevel, lowestLevel), by: -1) {
            let hostBits = scheme.offsets[level]
            let upper = (level + 1)..<scheme.levels
            let upperIsReal = address.isReal(levels: upper, in: scheme)
            for id in 0..<scheme.gsizes[level] where id != address.ids[level] {
                var prefixes: [DestinationPrefix] = []
                let idBits = UInt32(id) << UInt32(scheme.offsets[level])
                if upperIsReal {
                    let base = idBits | bits(address, levels: upper)
                    prefixes.append(DestinationPrefix(prefix: prefix(base, hostBits: hostBits), kind: .global))
                    prefixes.append(
                        DestinationPrefix(prefix: prefix(base | anonymousFlag, hostBits: hostBits), kind: .anonymous))
                }
                for internalLevel in stride(from: top, to: level, by: -1) {
                    let between = (level + 1)..<internalLevel
                    guard address.isReal(levels: between, in: scheme) else { continue }
                    let value = internalFlag | levelTag(internalLevel) | idBits | bits(address, levels: between)
                    prefixes.append(
                        DestinationPrefix(
                            prefix: prefix(value, hostBits: hostBits), kind: .internal(level: internalLevel)))
                }
                let gnode = GNodeAddress(level: level, ids: [id] + Array(address.ids[upper]))
                result.append(Destination(level: level, id: id, gnode: gnode, prefixes: prefixes))
            }
        }
        return result
    }

    /// The prefixes of `destinations(of:…)` in order.
    public func prefixes(
        of address: NetsukukuAddress, subnetLevel: Int = 0, lowestLevel: Int = 0
    ) -> [DestinationPrefix] {
        destinations(of: address, subnetLevel: subnetLevel, lowestLevel: lowestLevel).flatMap(\.prefixes)
    }
}
