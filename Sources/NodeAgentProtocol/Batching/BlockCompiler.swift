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
///
/// Runs of simple `iptables` rule commands of one table and namespace become one `iptables-restore --noflush`
/// whose fallback, when it fails, is the original lines (`IptablesBatch`): what failed, and the state after
/// it, are the unbatched block's. Two other shapes run as bash builtins with the original line as their
/// fallback (`BuiltinRewrite`).
public struct BlockCompiler: Sendable {
    public var minimumBatch: Int
    /// Whether runs of `iptables` lines become one `iptables-restore` (see `IptablesBatch`).
    public var batchesIptables: Bool

    /// Whether a root-namespace `sysctl K=N &>/dev/null` and an `(echo; echo …) | tee -a` append run as bash
    /// builtins first (see `BuiltinRewrite`).
    public var rewritesBuiltins: Bool

    public init(minimumBatch: Int = 2, batchesIptables: Bool = true, rewritesBuiltins: Bool = true) {
        self.minimumBatch = minimumBatch
        self.batchesIptables = batchesIptables
        self.rewritesBuiltins = rewritesBuiltins
    }

    public func compile(_ lines: [String]) -> CompiledBlock {
        let plainLines = lines.enumerated().map {
            ScriptLine($0.element, at: InputLocation(file: "", line: $0.offset + 1))
        }
        let commands = ShellLines.commands(of: plainLines)
        var segments: [CompiledBlock.Segment] = []
        var pending: [(line: Int, batchLine: String)] = []
        var pendingRun: Run?
        var nextLine = 1

        func flush() {
            switch pendingRun {
            case .ip(let namespace) where pending.count >= minimumBatch:
                segments.append(
                    .batch(namespace: namespace, lines: pending.map(\.line), commands: pending.map(\.batchLine)))
            case .iptables(let namespace, let table) where pending.count >= minimumBatch:
                segments.append(
                    .iptablesBatch(
                        namespace: namespace, table: table, lines: pending.map(\.line), rules: pending.map(\.batchLine))
                )
            default:
                segments += pending.map { .verbatim(line: $0.line) }
            }
            pending = []
            pendingRun = nil
        }

        for command in commands {
            // Blank lines and comments before this command stay as they are, outside any batch.
            if command.firstLine > nextLine {
                flush()
                segments += (nextLine..<command.firstLine).map { .verbatim(line: $0) }
            }
            nextLine = command.firstLine + command.lineCount
            guard command.lineCount == 1, let (run, batchLine) = run(of: lines[command.firstLine - 1]) else {
                flush()
                if command.lineCount == 1, rewritesBuiltins,
                    let fast = BuiltinRewrite.fastPath(lines[command.firstLine - 1])
                {
                    segments.append(.builtin(line: command.firstLine, fast: fast))
                } else {
                    segments += (command.firstLine..<nextLine).map { .verbatim(line: $0) }
                }
                continue
            }
            if run != pendingRun { flush() }
            pendingRun = run
            pending.append((command.firstLine, batchLine))
        }
        flush()
        if nextLine <= lines.count { segments += (nextLine...lines.count).map { .verbatim(line: $0) } }
        return CompiledBlock(original: lines, segments: segments)
    }

    /// What a batch joins: `ip` lines of one namespace, or `iptables` lines of one namespace and table.
    enum Run: Hashable {
        case ip(namespace: String?)
        case iptables(namespace: String?, table: String)
    }

    /// The run `line` may join and its line in the batch's input, if it may join one.
    func run(of line: String) -> (Run, String)? {
        if let (namespace, batchLine) = Self.batchable(line) { return (.ip(namespace: namespace), batchLine) }
        if batchesIptables, let candidate = IptablesBatch.candidate(line) {
            return (.iptables(namespace: candidate.namespace, table: candidate.table), candidate.restoreLine)
        }
        return nil
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
