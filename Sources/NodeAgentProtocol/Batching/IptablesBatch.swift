import PlanModel

/// Which `iptables` lines may join one `iptables-restore --noflush` run, and the shell text of such a run.
///
/// The nft (and legacy) restore commits a table's lines as one transaction: when it fails, nothing was applied.
/// So a run is sent as `if ! iptables-restore …; then LINE; …; fi`: when the restore fails, the original lines
/// run one by one and fail at exactly the original line with the original message and status, leaving the
/// state the unbatched block leaves. The restore's own stderr is dropped (on success iptables prints nothing
/// for these commands; on failure the original lines print theirs).
enum IptablesBatch {
    /// A line that may join a run: runs join lines of one namespace and one table.
    struct Candidate: Hashable {
        var namespace: String?
        var table: String
        /// The line as iptables-restore reads it: the command and its arguments, without `iptables -t T`.
        var restoreLine: String
    }

    /// Rule commands iptables-restore runs as iptables would (the equivalence tests prove these three on the
    /// nft backend). The others stay alone: in iptables-restore 1.8.9 (nft) `-R` of a rule added earlier in the
    /// input segfaults (bash then prints the crash on the block's stderr), `-E` of a chain made earlier and
    /// `-Z CHAIN` fail where the lines one by one succeed. Listing and `-C` (its status is the answer) never join.
    static let commands: Set<String> = ["-A", "-I", "-D"]
    /// Rule commands that are not batched: a line with one after its own command is left alone.
    static let otherCommands: Set<String> = ["-N", "-F", "-X", "-P", "-E", "-R", "-Z"]

    /// Words that change what a line does beyond its one rule command (a second command, another table,
    /// options of the iptables program itself): a line with one of them stays alone.
    static let refusedWords: Set<String> = [
        "-t", "--table", "-C", "--check", "-L", "--list", "-S", "--list-rules", "-h", "--help", "-V", "--version",
        "-w", "--wait", "-W", "--wait-interval", "--modprobe", "-4", "--ipv4", "-6", "--ipv6", "-n", "--numeric",
        "-x", "--exact", "--line-numbers", "-v", "--verbose", "-c", "--set-counters", "--append", "--insert",
        "--delete", "--replace", "--new-chain", "--flush", "--delete-chain", "--policy", "--rename-chain",
        "--zero",
    ]
    static let tables: Set<String> = ["filter", "nat", "mangle", "raw", "security"]

    /// The candidate `line` is, if it is `[ip netns exec NS] iptables [-t TABLE] CMD ARGS…` of simple words.
    static func candidate(_ line: String) -> Candidate? {
        guard !line.utf8.contains(where: BlockCompiler.unsafeBytes.contains), let words = ShellWords.split(line),
            !words.contains(where: BlockCompiler.operators.contains)
        else { return nil }
        var rest = words[...]
        var namespace: String?
        if rest.starts(with: ["ip", "netns", "exec"]) {
            guard rest.count > 4, Names.isValidNamespaceName(rest[rest.startIndex + 3]) else { return nil }
            namespace = rest[rest.startIndex + 3]
            rest = rest.dropFirst(4)
        }
        guard rest.first == "iptables" else { return nil }
        rest = rest.dropFirst()
        var table = "filter"
        if rest.first == "-t" {
            guard rest.count > 2, tables.contains(rest[rest.startIndex + 1]) else { return nil }
            table = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        }
        guard let command = rest.first, commands.contains(command),
            !rest.dropFirst().contains(where: {
                commands.contains($0) || otherCommands.contains($0) || refusedWords.contains($0)
            })
        else { return nil }
        return Candidate(namespace: namespace, table: table, restoreLine: rest.joined(separator: " "))
    }

    /// The compiled lines of a run: the restore as an `if` condition, the original lines as its fallback.
    static func script(namespace: String?, table: String, rules: [String], originals: [String]) -> [String] {
        let input = (["*\(table)"] + rules + ["COMMIT"]).joined(separator: "\\n")
        let prefix = namespace.map { "ip netns exec \($0) " } ?? ""
        return ["if ! \(prefix)iptables-restore --noflush <<< $'\(input)' 2>/dev/null; then"] + originals + ["fi"]
    }
}
