import PlanModel

/// Compiles a block's script so that runs of consecutive `ip` commands execute in one `ip -batch` process
/// (`ip netns exec NS ip …` and `ip -n NS …` in one `ip -n NS -batch`): one process instead of one per line,
/// the largest speed lever of a documented scenario, which is thousands of `ip` lines (`testbed bench`).
///
/// Rules that keep the meaning:
/// - only simple commands are batched: plain words, no quotes, expansions, redirections or operators;
/// - a batch ends at any other line (`ip` reads rt_tables once, and blocks append tables with `tee` right
///   before using them), and at a change of namespace;
/// - `ip netns add/del/exec` of other programs, options other than `-n`, and single `ip` lines are left alone;
/// - no `-force`: the batch stops at its first failure, as the block's `set -e` would.
/// Each batch becomes one line `ip [-n NS] -batch - <<< $'…'`, so the agent's failing line maps back to it,
/// and `Command failed -:N` on stderr maps to the original command.
public struct BlockCompiler: Sendable {
    public var minimumBatch: Int

    public init(minimumBatch: Int = 2) {
        self.minimumBatch = minimumBatch
    }

    public func compile(_ lines: [String]) -> CompiledBlock {
        let plainLines = lines.enumerated().map {
            ScriptLine($0.element, at: InputLocation(file: "", line: $0.offset + 1))
        }
        let commands = ShellLines.commands(of: plainLines)
        var segments: [CompiledBlock.Segment] = []
        var pending: [(line: Int, batchLine: String)] = []
        var pendingNamespace: String?
        var nextLine = 1

        func flush() {
            if pending.count >= minimumBatch {
                segments.append(
                    .batch(namespace: pendingNamespace, lines: pending.map(\.line), commands: pending.map(\.batchLine)))
            } else {
                segments += pending.map { .verbatim(line: $0.line) }
            }
            pending = []
        }

        for command in commands {
            // Blank lines and comments before this command stay as they are, outside any batch.
            if command.firstLine > nextLine {
                flush()
                segments += (nextLine..<command.firstLine).map { .verbatim(line: $0) }
            }
            nextLine = command.firstLine + command.lineCount
            guard command.lineCount == 1, let (namespace, batchLine) = Self.batchable(lines[command.firstLine - 1])
            else {
                flush()
                segments += (command.firstLine..<nextLine).map { .verbatim(line: $0) }
                continue
            }
            if !pending.isEmpty && namespace != pendingNamespace { flush() }
            pendingNamespace = namespace
            pending.append((command.firstLine, batchLine))
        }
        flush()
        if nextLine <= lines.count { segments += (nextLine...lines.count).map { .verbatim(line: $0) } }
        return CompiledBlock(original: lines, segments: segments)
    }

    /// Characters whose shell meaning ip's batch parser would not reproduce.
    static let unsafeBytes = Set("'\"$`\\*?[]{}~#".utf8)

    static let operators: Set<String> = [
        "|", "||", "&&", ";", "&", ">", ">>", "<", "<<", "(", ")", "&>", ">&", "<&", ";;",
    ]
    static let batchableObjects: Set<String> = [
        "route", "r", "ro", "rou", "rout", "rule", "ru", "address", "addr", "a", "ad", "link", "l", "li", "neighbour",
        "neighbor", "neigh", "n",
    ]

    /// If `line` is a simple `ip` command that may join a batch: its namespace and its batch-file line.
    static func batchable(_ line: String) -> (String?, String)? {
        // Anything the shell would interpret differently from ip's batch parser keeps the line out.
        guard !line.utf8.contains(where: unsafeBytes.contains), let words = ShellWords.split(line),
            words.count >= 3, words[0] == "ip", !words.contains(where: operators.contains)
        else { return nil }
        var rest = Array(words.dropFirst())
        var namespace: String?
        if rest[0] == "-n" || rest[0] == "-netns" {
            guard rest.count >= 3, Names.isValidNamespaceName(rest[1]) else { return nil }
            namespace = rest[1]
            rest = Array(rest.dropFirst(2))
        } else if rest[0] == "netns" {
            // `ip netns exec NS ip ARGS…` is `ip -n NS ARGS…`; any other netns command is never batched.
            guard rest.count >= 5, rest[1] == "exec", Names.isValidNamespaceName(rest[2]), rest[3] == "ip" else {
                return nil
            }
            namespace = rest[2]
            rest = Array(rest.dropFirst(4))
        }
        guard let object = rest.first, !object.hasPrefix("-"), batchableObjects.contains(object) else { return nil }
        return (namespace, rest.joined(separator: " "))
    }
}

/// A block's script after compilation, with the map back to the original lines.
public struct CompiledBlock: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        /// An original line, unchanged (1-based line of the original script).
        case verbatim(line: Int)
        /// Several original `ip` lines run by one `ip -batch`.
        case batch(namespace: String?, lines: [Int], commands: [String])
    }

    public let original: [String]
    public let segments: [Segment]

    /// The script to send: one line per segment.
    public var script: String {
        segments.map { segment in
            switch segment {
            case .verbatim(let line): original[line - 1]
            case .batch(let namespace, _, let commands):
                "ip \(namespace.map { "-n \($0) " } ?? "")-batch - <<< $'\(commands.joined(separator: "\\n"))'"
            }
        }.joined(separator: "\n")
    }

    /// Number of `ip` processes saved.
    public var batchedCommands: Int {
        segments.reduce(0) { total, segment in
            if case .batch(_, let lines, _) = segment { total + lines.count } else { total }
        }
    }

    public var batchCount: Int {
        segments.filter { if case .batch = $0 { true } else { false } }.count
    }

    /// Which original line failed, given the compiled line the agent reported and the block's stderr.
    public func originalLine(forCompiledLine line: Int, stderr: String) -> Attribution? {
        guard line >= 1, line <= segments.count else { return nil }
        switch segments[line - 1] {
        case .verbatim(let original):
            return Attribution(line: original, exact: true, inBatch: false)
        case .batch(_, let lines, let commands):
            // ip prints "Command failed -:N" for a failed batch line; argument errors exit without it.
            if let marker = stderr.range(of: "Command failed -:", options: .backwards) {
                let digits = stderr[marker.upperBound...].prefix { $0.isNumber }
                if let index = Int(digits), index >= 1, index <= lines.count {
                    return Attribution(line: lines[index - 1], exact: true, inBatch: true)
                }
            }
            // "Error: … rather than "WORD"." names the offending word: the first batch line with it.
            if let quoted = stderr.split(separator: "\"").dropFirst().first, !quoted.isEmpty,
                let index = commands.firstIndex(where: { $0.split(separator: " ").contains(quoted) })
            {
                return Attribution(line: lines[index], exact: false, inBatch: true)
            }
            return Attribution(
                line: lines[0], exact: false, inBatch: true, range: (lines.first ?? 0)...(lines.last ?? 0))
        }
    }

    /// Where a failure was, and how sure the mapping is.
    public struct Attribution: Sendable, Hashable {
        public var line: Int
        /// False when `ip -batch` did not say which of its lines failed and the line was inferred.
        public var exact: Bool
        /// True when the line ran inside an `ip -batch` (whose exit status is ip's, not the line's alone).
        public var inBatch: Bool
        /// The batch's lines, when the failing one could not be told apart.
        public var range: ClosedRange<Int>?

        public init(line: Int, exact: Bool, inBatch: Bool, range: ClosedRange<Int>? = nil) {
            self.line = line
            self.exact = exact
            self.inBatch = inBatch
            self.range = range
        }
    }
}
