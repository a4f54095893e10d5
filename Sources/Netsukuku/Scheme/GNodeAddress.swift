/// A g-node: the group of addresses sharing the ids from `level` up. Written with a trailing dot, top
/// level first: `2·1·` is the level-2 g-node with level-3 id 2 and level-2 id 1.
///
/// A level-0 g-node is a single node's address.
public struct GNodeAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var level: Int
    /// `ids[0]` is the id at `level`, the last one the top level's.
    public var ids: [Int]

    public init(level: Int, ids: [Int]) {
        self.level = level
        self.ids = ids
    }

    /// Parses `2·1·` (a g-node) or `2·1·1·0` (a single node, level 0) in a scheme of `levels` levels.
    public init?(_ text: String, levels: Int) {
        guard let parsed = NetsukukuAddress.parseIDs(text), parsed.ids.count <= levels else { return nil }
        if !parsed.isGNode && parsed.ids.count != levels { return nil }
        level = levels - parsed.ids.count
        ids = parsed.ids.reversed()
    }

    /// Whether `address` lies inside this g-node.
    public func contains(_ address: NetsukukuAddress) -> Bool {
        guard address.ids.count == level + ids.count else { return false }
        for (offset, id) in ids.enumerated() where address.ids[level + offset] != id { return false }
        return true
    }

    /// The full address of a member that keeps `lower`'s ids below this g-node's level.
    public func address(keepingLowerLevelsOf lower: NetsukukuAddress) -> NetsukukuAddress {
        NetsukukuAddress(ids: Array(lower.ids[..<level]) + ids)
    }

    /// The id at `level` (at or above this g-node's level).
    public func id(at level: Int) -> Int { ids[level - self.level] }

    /// `2·1·` for a g-node, `2·1·1·0` for a single node.
    public var description: String {
        let text = ids.reversed().map(String.init).joined(separator: "·")
        return level == 0 ? text : text + "·"
    }

    public static func < (lhs: GNodeAddress, rhs: GNodeAddress) -> Bool {
        if lhs.level != rhs.level { return lhs.level < rhs.level }
        return lhs.ids.reversed().lexicographicallyPrecedes(rhs.ids.reversed())
    }
}
