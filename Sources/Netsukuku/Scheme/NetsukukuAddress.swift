/// A Netsukuku address: one id per level, real or virtual.
///
/// Stored level 0 first; written top level first with middle dots (`3·1·0·1`), or with dots as the
/// program's command line takes them (`3.1.0.1`).
public struct NetsukukuAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// `ids[0]` is the level-0 id.
    public var ids: [Int]

    public init(ids: [Int]) { self.ids = ids }

    /// Parses `3·1·0·1` or `3.1.0.1` (top level first). Nil for anything else, including a g-node
    /// (trailing separator).
    public init?(_ text: String) {
        guard let parsed = Self.parseIDs(text), !parsed.isGNode else { return nil }
        ids = parsed.ids.reversed()
    }

    /// Splits `2·1·` or `2.1.1.0` into ids (top level first) and whether a trailing separator marks a g-node.
    static func parseIDs(_ text: String) -> (ids: [Int], isGNode: Bool)? {
        let trimmed = text.trimmingCharacters(in: " ")
        guard !trimmed.isEmpty else { return nil }
        let separators: Set<Character> = ["·", "."]
        var isGNode = false
        var body = Substring(trimmed)
        if let last = body.last, separators.contains(last) {
            isGNode = true
            body = body.dropLast()
        }
        let parts = body.split(separator: "·", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
        var ids: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), let value = Int(part), value >= 0 else { return nil }
            ids.append(value)
        }
        return ids.isEmpty ? nil : (ids, isGNode)
    }

    public var levels: Int { ids.count }

    /// Top level first: `3·1·0·1`.
    public var description: String { ids.reversed().map(String.init).joined(separator: "·") }

    /// Top level first with dots, as `qspnclient` takes addresses: `3.1.0.1`.
    public var dotted: String { ids.reversed().map(String.init).joined(separator: ".") }

    /// The level-`level` g-node containing this address.
    public func gnode(level: Int) -> GNodeAddress { GNodeAddress(level: level, ids: Array(ids[level...])) }

    /// Whether every id is real in `scheme`.
    public func isReal(in scheme: AddressScheme) -> Bool {
        ids.indices.allSatisfy { scheme.isReal(ids[$0], at: $0) }
    }

    /// Whether the ids of `levels` are all real in `scheme`.
    public func isReal(levels: Range<Int>, in scheme: AddressScheme) -> Bool {
        levels.allSatisfy { scheme.isReal(ids[$0], at: $0) }
    }

    /// The lowest level with a virtual id, nil for a fully real address.
    public func lowestVirtualLevel(in scheme: AddressScheme) -> Int? {
        ids.indices.first { !scheme.isReal(ids[$0], at: $0) }
    }

    /// The highest level at which the two addresses differ: L(M), the level of `other`'s max distinct
    /// g-node seen from this address. Nil when they are equal.
    public func distinctLevel(from other: NetsukukuAddress) -> Int? {
        ids.indices.last { ids[$0] != other.ids[$0] }
    }

    /// This address with the id at `level` replaced.
    public func replacing(level: Int, with id: Int) -> NetsukukuAddress {
        var copy = self
        copy.ids[level] = id
        return copy
    }

    public static func < (lhs: NetsukukuAddress, rhs: NetsukukuAddress) -> Bool {
        lhs.ids.reversed().lexicographicallyPrecedes(rhs.ids.reversed())
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
