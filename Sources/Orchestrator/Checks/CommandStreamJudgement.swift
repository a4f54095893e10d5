public import PlanModel

/// Compares the commands a program logged with the documented commands of the same event, in order: what the
/// documentation has and the program did not run, what it ran that the documentation does not have there, and
/// what both have in another order. End states hide these (a sysctl run in the wrong namespace, addresses deleted
/// before or after the routes); the command stream shows them. Pure.
public enum CommandStreamJudgement {
    /// A documented command, bound to the program's names, and where it was written.
    public struct Documented: Sendable, Hashable {
        public var text: String
        public var location: InputLocation
    }

    /// The documented commands of `blocks` (a block's namespace becomes `ip netns exec NS`), with `binding`'s
    /// documented names replaced by the real ones.
    public static func documented(_ blocks: [NodeBlock], binding: ConformanceBinding) -> [Documented] {
        let pairs = binding.values.sorted { $0.key.count > $1.key.count }
        return blocks.flatMap { block in
            block.commands.map { command in
                var text = block.netns.map { "ip netns exec \($0) " + command.text } ?? command.text
                for (from, to) in pairs { text = ConformanceBinding.replace(from, with: to, in: text) }
                return Documented(text: normalised(text), location: command.location)
            }
        }
    }

    /// The commands of a log: its lines that start with `$ `.
    public static func logged(_ log: String) -> [String] {
        log.split(separator: "\n").filter { $0.hasPrefix("$ ") }.map { normalised(String($0.dropFirst(2))) }
    }

    /// Without the redirections that only silence a command, and with single spaces.
    static func normalised(_ command: String) -> String {
        var words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let silencers: Set<String> = ["&>/dev/null", ">/dev/null", "2>/dev/null", "2>&1", "1>/dev/null"]
        while let last = words.last, silencers.contains(last) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// Every difference, as lines for a conformance verdict: documented commands not run and commands run in
    /// another order (in documented order, consecutive ones together), then commands only the program ran.
    public static func differences(documented: [Documented], ran: [String], node: NodeName) -> [String] {
        let kept = commonSubsequence(documented.map(\.text), ran)
        var unmatchedRun = ran.indices.filter { !kept.run.contains($0) }
        var lines: [String] = []
        var moved: [(documented: Int, run: Int)] = []
        func closeMoved() {
            guard let first = moved.first, let last = moved.last else { return }
            let what =
                moved.count == 1
                ? "`\(documented[first.documented].text)` (\(documented[first.documented].location.fileAndLine))"
                : "\(moved.count) commands, `\(documented[first.documented].text)` … `\(documented[last.documented].text)` "
                    + "(\(documented[first.documented].location.fileAndLine)–\(documented[last.documented].location.line)),"
            let previous = first.documented > 0 ? "`\(documented[first.documented - 1].text)`" : "the start"
            let before = first.run > 0 ? "`\(ran[first.run - 1])`" : "the start"
            lines.append(
                "commands on \(node): \(what) ran in another order: documented after \(previous), run after \(before)")
            moved = []
        }
        for index in documented.indices where !kept.documented.contains(index) {
            let item = documented[index]
            if let found = unmatchedRun.firstIndex(where: { ran[$0] == item.text }) {
                let at = unmatchedRun.remove(at: found)
                if let last = moved.last, last.documented + 1 != index || last.run + 1 != at { closeMoved() }
                moved.append((index, at))
            } else {
                closeMoved()
                lines.append(
                    "commands on \(node): documented `\(item.text)` (\(item.location.fileAndLine)) was not run")
            }
        }
        closeMoved()
        // Commands only the program ran, a group per stretch of consecutive ones.
        var group: [Int] = []
        func close() {
            guard let first = group.first else { return }
            let shown = group.count <= 8 ? group : Array(group.prefix(5))
            let list = shown.map { "`\(ran[$0])`" }.joined(separator: ", ")
            let rest = group.count - shown.count
            lines.append(
                "commands on \(node): ran "
                    + (group.count == 1 ? list : "\(group.count) commands")
                    + ", not documented here" + (first > 0 ? " (after `\(ran[first - 1])`)" : "")
                    + (group.count == 1
                        ? "" : ": " + list + (rest > 0 ? " and \(rest) more (see the service log)" : "")))
            group = []
        }
        for index in unmatchedRun {
            if let last = group.last, last + 1 != index { close() }
            group.append(index)
        }
        close()
        return lines
    }

    /// The indices of a longest common subsequence of the two lists.
    static func commonSubsequence(_ a: [String], _ b: [String]) -> (documented: Set<Int>, run: Set<Int>) {
        var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var kept: (documented: Set<Int>, run: Set<Int>) = ([], [])
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                kept.documented.insert(i)
                kept.run.insert(j)
                i += 1
                j += 1
            } else if lengths[i + 1][j] >= lengths[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return kept
    }
}
