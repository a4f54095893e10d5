/// A block's script after compilation, with the map back to the original lines.
public struct CompiledBlock: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        /// An original line, unchanged (1-based line of the original script).
        case verbatim(line: Int)
        /// Several original `ip` lines run by one `ip -batch`.
        case batch(namespace: String?, lines: [Int], commands: [String])
        /// Several original `iptables` lines of one table run by one `iptables-restore --noflush`, with the
        /// original lines as the fallback when the restore fails (see `IptablesBatch`).
        case iptablesBatch(namespace: String?, table: String, lines: [Int], rules: [String])
        /// An original line run as a bash builtin first, the line itself its fallback (see `BuiltinRewrite`).
        case builtin(line: Int, fast: String)
    }

    public let original: [String]
    public let segments: [Segment]
    /// For each compiled line (0-based): its segment, and for an `iptablesBatch` the original line it repeats.
    let compiledLines: [(segment: Int, original: Int?)]

    public init(original: [String], segments: [Segment]) {
        self.original = original
        self.segments = segments
        var map: [(segment: Int, original: Int?)] = []
        for (index, segment) in segments.enumerated() {
            if case .iptablesBatch(_, _, let lines, _) = segment {
                map.append((index, nil))
                map += lines.map { (index, $0) }
                map.append((index, nil))
            } else {
                map.append((index, nil))
            }
        }
        compiledLines = map
    }

    public static func == (lhs: CompiledBlock, rhs: CompiledBlock) -> Bool {
        lhs.original == rhs.original && lhs.segments == rhs.segments
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(original)
        hasher.combine(segments)
    }

    /// The script to send. A segment is one line, except an iptables run: its `if`, the original lines, `fi`.
    public var script: String {
        segments.flatMap { segment in
            switch segment {
            case .verbatim(let line): [original[line - 1]]
            case .builtin(let line, let fast): [BuiltinRewrite.script(fast: fast, original: original[line - 1])]
            case .batch(let namespace, _, let commands):
                ["ip \(namespace.map { "-n \($0) " } ?? "")-batch - <<< $'\(commands.joined(separator: "\\n"))'"]
            case .iptablesBatch(let namespace, let table, let lines, let rules):
                IptablesBatch.script(
                    namespace: namespace, table: table, rules: rules, originals: lines.map { original[$0 - 1] })
            }
        }.joined(separator: "\n")
    }

    /// Number of `ip` processes saved.
    public var batchedCommands: Int {
        segments.reduce(0) { total, segment in
            if case .batch(_, let lines, _) = segment { total + lines.count } else { total }
        }
    }

    /// Number of `ip -batch` processes.
    public var batchCount: Int {
        segments.filter { if case .batch = $0 { true } else { false } }.count
    }

    /// Original `iptables` lines that run inside an `iptables-restore` (when it succeeds).
    public var iptablesBatchedCommands: Int {
        segments.reduce(0) { total, segment in
            if case .iptablesBatch(_, _, let lines, _) = segment { total + lines.count } else { total }
        }
    }

    /// Number of `iptables-restore` processes.
    public var iptablesBatchCount: Int {
        segments.filter { if case .iptablesBatch = $0 { true } else { false } }.count
    }

    /// Number of processes saved by builtin forms (when they succeed).
    public var builtinCount: Int {
        segments.filter { if case .builtin = $0 { true } else { false } }.count
    }

    /// Which original line failed, given the compiled line the agent reported and the block's stderr.
    public func originalLine(forCompiledLine line: Int, stderr: String) -> Attribution? {
        guard line >= 1, line <= compiledLines.count else { return nil }
        let (index, repeated) = compiledLines[line - 1]
        switch segments[index] {
        case .verbatim(let original), .builtin(let original, _):
            // A builtin form that fails is silent and the original line runs: a failure is the original's.
            return Attribution(line: original, exact: true, inBatch: false)
        case .iptablesBatch(_, _, let lines, _):
            // The restore failed and its lines ran one by one: the failing line is the original, alone.
            // The `if` and `fi` lines never fail by themselves; name the run's first line if one is reported.
            return Attribution(line: repeated ?? lines[0], exact: repeated != nil, inBatch: false)
        case .batch(_, let lines, let commands):
            return Self.ipBatchLine(lines: lines, commands: commands, stderr: stderr)
        }
    }

    private static func ipBatchLine(lines: [Int], commands: [String], stderr: String) -> Attribution {
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
        return Attribution(line: lines[0], exact: false, inBatch: true, range: (lines.first ?? 0)...(lines.last ?? 0))
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
