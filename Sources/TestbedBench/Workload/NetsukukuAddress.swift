/// A Netsukuku address in the proof of concept's topology 4·2·2·2 and its IP mapping (domain.md §2.2).
///
/// Levels 0–2 have 2 ids each, level 3 has 4; bit offsets 0, 1, 2, 3. An id ≥ gsize(level) is virtual.
struct NetsukukuAddress: Hashable, CustomStringConvertible {
    static let gsize = [2, 2, 2, 4]
    static let offset = [0, 1, 2, 3]
    static let levels = 4

    /// ids[0] is level 0.
    let ids: [Int]

    /// Parses `3·1·0·1` or `3.1.0.1` (level 3 first, as the documentation writes it).
    init(_ text: String) {
        ids = text.split(whereSeparator: { $0 == "·" || $0 == "." }).compactMap { Int($0) }.reversed()
    }

    init(ids: [Int]) { self.ids = ids }

    var description: String { ids.reversed().map(String.init).joined(separator: "·") }

    func isReal(_ level: Int) -> Bool { ids[level] < Self.gsize[level] }

    private func sum(_ levels: Range<Int>) -> Int {
        levels.reduce(0) { $0 | (ids[$1] << Self.offset[$1]) }
    }

    /// Own IPs of a principal identity: global, anonymizing, internal L3, L2, L1 (those that are computable).
    var ownIPs: [Int] {
        var result: [Int] = []
        if (0..<Self.levels).allSatisfy(isReal) {
            let global = sum(0..<Self.levels)
            result += [global, global | 64]
        }
        for k in [3, 2, 1] where (0..<k).allSatisfy(isReal) {
            result.append(32 | (k << Self.offset[3]) | sum(0..<k))
        }
        return result
    }

    var globalIP: Int? { (0..<Self.levels).allSatisfy(isReal) ? sum(0..<Self.levels) : nil }

    /// A destination of the routing tables: the g-node (level, id) seen from this address, and its prefixes.
    struct Destination: Hashable {
        let level: Int
        let id: Int
        /// (IP last octet, prefix length, kind); kind 0 global, 1 anonymizing, k≥1 internal-Lk as 10+k.
        let prefixes: [(value: Int, length: Int, kind: Int)]

        static func == (a: Destination, b: Destination) -> Bool { a.level == b.level && a.id == b.id }
        func hash(into hasher: inout Hasher) {
            hasher.combine(level)
            hasher.combine(id)
        }
    }

    /// Every destination, in the order of the pages and the script.
    func destinations(subnetLevel: Int = 0) -> [Destination] {
        var result: [Destination] = []
        for level in stride(from: Self.levels - 1, through: subnetLevel, by: -1) {
            for id in 0..<Self.gsize[level] where id != ids[level] {
                var prefixes: [(Int, Int, Int)] = []
                let length = 32 - Self.offset[level]
                let upper = (level + 1)..<Self.levels
                let base = (id << Self.offset[level]) | sum(upper)
                if upper.allSatisfy(isReal) {
                    prefixes += [(base, length, 0), (base | 64, length, 1)]
                }
                for k in stride(from: Self.levels - 1, to: level, by: -1) where ((level + 1)..<k).allSatisfy(isReal) {
                    let value = 32 | (k << Self.offset[3]) | (id << Self.offset[level]) | sum((level + 1)..<k)
                    prefixes.append((value, length, 10 + k))
                }
                result.append(Destination(level: level, id: id, prefixes: prefixes))
            }
        }
        return result
    }

    /// True when `other` lies in the g-node (level, id) as seen from this address.
    func contains(_ other: NetsukukuAddress, in destination: Destination) -> Bool {
        other.ids[destination.level] == destination.id
            && ((destination.level + 1)..<Self.levels).allSatisfy { other.ids[$0] == ids[$0] }
    }

    /// The own IP that serves as `src` for a prefix kind: global for global/anon, internal-Lk for internal-Lk.
    func source(forKind kind: Int) -> Int? {
        if kind <= 1 { return globalIP }
        let k = kind - 10
        guard (0..<k).allSatisfy(isReal) else { return nil }
        return 32 | (k << Self.offset[3]) | sum(0..<k)
    }

    static func ip(_ value: Int) -> String { "10.0.0.\(value)" }
}
