public import PlanModel

extension ConformanceJudgement {
    /// Every line where a node's `rt_tables` differs from the documented one, not only the first: after a block
    /// one difference is enough to fail it, but a conformance check's differences are its findings, and a line
    /// the program never writes must not hide a line it renames further down. Lines the two files share (a
    /// longest common subsequence) are left out; a documented line and a real one at the same place pair up.
    public static func rtTablesDifferences(predicted: NodeState, observed: NodeState) -> [StateDifference] {
        guard !predicted.unknown.contains(.rtTables), !observed.unknown.contains(.rtTables) else { return [] }
        return lineDifferences(predicted.rtTables.lines, observed.rtTables.lines, node: predicted.node)
    }

    static func lineDifferences(_ expected: [String], _ found: [String], node: NodeName) -> [StateDifference] {
        guard expected != found else { return [] }
        // lengths[i][j]: the longest common subsequence of expected[i...] and found[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: found.count + 1), count: expected.count + 1)
        for i in stride(from: expected.count - 1, through: 0, by: -1) {
            for j in stride(from: found.count - 1, through: 0, by: -1) {
                lengths[i][j] =
                    expected[i] == found[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var differences: [StateDifference] = []
        var missing: [(Int, String)] = []
        var extra: [(Int, String)] = []
        func flush() {
            for index in 0..<max(missing.count, extra.count) {
                let wanted = index < missing.count ? missing[index] : nil
                let got = index < extra.count ? extra[index] : nil
                differences.append(
                    StateDifference(
                        node: node, namespace: nil,
                        subject: got.map { "rt_tables line \($0.0)" } ?? "documented rt_tables line \(wanted?.0 ?? 0)",
                        expected: wanted.map { "'\($0.1)'" }, found: got.map { "'\($0.1)'" }))
            }
            missing = []
            extra = []
        }
        var i = 0
        var j = 0
        while i < expected.count || j < found.count {
            if i < expected.count, j < found.count, expected[i] == found[j] {
                flush()
                i += 1
                j += 1
            } else if j < found.count, i == expected.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                extra.append((j + 1, found[j]))
                j += 1
            } else {
                missing.append((i + 1, expected[i]))
                i += 1
            }
        }
        flush()
        return differences
    }
}
