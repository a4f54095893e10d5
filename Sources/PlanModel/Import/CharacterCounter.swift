/// Counts characters, remembering the order they first appeared in.
struct CharacterCounter {
    private var order: [String] = []
    private var table: [String: Int] = [:]

    mutating func add(_ character: String) {
        if table[character] == nil { order.append(character) }
        table[character, default: 0] += 1
    }

    /// Most frequent first; ties keep the order of first appearance.
    var counts: [EncodingRepair.CharacterCount] {
        order.enumerated()
            .sorted { lhs, rhs in
                let (left, right) = (table[lhs.element, default: 0], table[rhs.element, default: 0])
                return left != right ? left > right : lhs.offset < rhs.offset
            }
            .map { EncodingRepair.CharacterCount(character: $0.element, count: table[$0.element, default: 0]) }
    }
}
