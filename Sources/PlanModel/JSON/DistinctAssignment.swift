/// A maximum matching between expected elements and the actual elements each of them fits (Kuhn's augmenting
/// paths), so every expected element gets an actual element of its own whenever that is possible at all.
struct DistinctAssignment {
    let candidates: [[Int]]
    /// The expected element each actual element is given to.
    private var owner: [Int?]

    init(candidates: [[Int]], actualCount: Int) {
        self.candidates = candidates
        owner = Array(repeating: nil, count: actualCount)
    }

    /// Assigns every expected element it can; returns the first one left without an actual element.
    mutating func firstUnassigned() -> Int? {
        for expected in candidates.indices {
            var visited = Array(repeating: false, count: owner.count)
            if !augment(expected, visited: &visited) { return expected }
        }
        return nil
    }

    private mutating func augment(_ expected: Int, visited: inout [Bool]) -> Bool {
        for actual in candidates[expected] where !visited[actual] {
            visited[actual] = true
            if let current = owner[actual], !augment(current, visited: &visited) { continue }
            owner[actual] = expected
            return true
        }
        return false
    }
}
