/// Reads a replay script in the author's LXC style into a plan.
///
/// ```
/// ### Arc formation                       → a section: a step titled by it (heading level 2)
/// echo "beta and gamma form an arc"       → a step titled by the echo (heading level 3)
/// cat <<EOF | lxc exec beta bash          → a block of node beta, its lines verbatim (set -e included)
/// set -e
/// ip route add 169.254.94.223 dev eth1 src 169.254.96.141
/// EOF
/// lxc exec gamma -- ip link set dev eth1 up                  → a one-line block of gamma
/// lxc exec beta -- ping -q -n -c 1 10.0.0.22 -W 1 &>/dev/null || (echo "…"; exit 1)   → a reach check
/// # a comment                             → a note
/// ```
///
/// Containers map to topology nodes by name (aliases work too). A heredoc or one-liner whose commands are all
/// the ping idiom becomes a reach check; consecutive ping checks of one node with the same options are one
/// check.
public enum ScriptImporter {
    /// Imports script text that came from `path`.
    /// - Parameters:
    ///   - assumptions: script line → system, for lines whose container the topology does not know.
    /// - Throws: `InputErrors` with every error (and the warnings) found.
    public static func parse(
        text: String, path: String, topology: Topology, assumptions: [Int: String] = [:]
    ) throws(InputErrors) -> ImportResult {
        let prepared = ImportSource(text: text, path: path)
        if prepared.hasErrors { throw InputErrors(prepared.errors) }
        var reader = ScriptReader(prepared: prepared, topology: topology, assumptions: assumptions)
        reader.read()
        return try reader.result()
    }
}

/// The state of one script read.
struct ScriptReader {
    let source: SourceText
    let lines: [String]
    let repairs: [EncodingRepair]
    let resolver: SystemNameResolver
    var assumptions: Assumptions
    var errors: [InputError]
    var inferences: [SystemInference] = []
    var builder: StepBuilder
    var comment: [(text: String, line: Int)] = []
    /// Whether the last thing read was a ping check (so the next one of the same node may join it).
    var lastWasPing = false
    /// Whether the script stops at a failing command (`set -e`) — as testbed does with a failing block.
    var stopsOnFailure = true

    init(prepared: ImportSource, topology: Topology, assumptions: [Int: String]) {
        source = prepared.source
        lines = ImportSource.lines(prepared.source.text)
        repairs = prepared.repairs
        resolver = SystemNameResolver(topology: topology)
        errors = prepared.errors
        builder = StepBuilder(planTitle: ImportSource.defaultTitle(path: source.path))
        self.assumptions = Assumptions(assumptions, resolver: resolver, source: source, errors: &errors)
    }

    func location(_ line: Int, column: Int = 1) -> InputLocation { source.location(line: line, column: column) }

    mutating func read() {
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let number = index + 1
            index += 1
            let trimmed = line.trimmingLeadingSpaces
            if number == 1 && trimmed.hasPrefix("#!") { continue }
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) {
                flushComment()
                continue
            }
            if trimmed.hasPrefix("#") {
                readComment(trimmed, number: number)
                continue
            }
            flushComment()
            var logical = line
            var last = index - 1
            while logical.hasSuffix("\\"), last + 1 < lines.count {
                last += 1
                logical += "\n" + lines[last]
            }
            if let through = quoteEnd(of: logical, from: last) {
                logical = lines[(number - 1)...through].joined(separator: "\n")
                last = through
            }
            index = last + 1
            index = readCommand(logical, number: number, physical: Array(lines[(number - 1)...last]), next: index)
        }
        flushComment()
        errors += assumptions.unusedWarnings(source: source)
    }

    mutating func readComment(_ trimmed: String, number: Int) {
        lastWasPing = false
        let hashes = trimmed.prefix { $0 == "#" }.count
        var text = String(trimmed.dropFirst(hashes))
        if hashes >= 3 {
            flushComment()
            text = String(text.drop { $0 == " " || $0 == "\t" })
            while let last = text.last, last == "#" || last == " " || last == "\t" { text.removeLast() }
            guard !text.isEmpty else { return }  // a line of #s only separates; it is no section
            addHeading(level: 2, text: text, number: number)
            return
        }
        if text.hasPrefix(" ") { text.removeFirst() }
        if text.allSatisfy({ $0 == " " || $0 == "\t" }) {
            flushComment()
        } else {
            comment.append((text, number))
        }
    }

    /// A section or echo title as the heading a page would write for it (an `<a name>` anchor split off),
    /// so a render of the plan reads back the same.
    mutating func addHeading(level: Int, text: String, number: Int) {
        let flat = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        guard
            case .heading(_, let parsed, let anchor) = PageLine.classify(
                String(repeating: "#", count: level) + " " + flat)
        else { return }
        builder.heading(
            Heading(level: level, text: parsed, anchor: anchor, location: location(number)), at: location(number))
    }

    mutating func flushComment() {
        guard let first = comment.first else { return }
        builder.note(Note(text: comment.map(\.text).joined(separator: "\n"), location: location(first.line)))
        comment = []
    }

    mutating func warn(_ message: String, line: Int, column: Int = 1, hint: String) {
        errors.append(source.error(.invalidValue, message, line: line, column: column, hint: hint, severity: .warning))
    }

    /// A command line of the script (continuations joined); returns the index of the next line to read.
    mutating func readCommand(_ logical: String, number: Int, physical: [String], next: Int) -> Int {
        guard let tokens = ShellTokenizer.tokens(logical), let words = ShellWords.split(logical),
            let first = words.first
        else {
            lastWasPing = false
            warn(
                "this line has unbalanced quotes; it is kept as a note and not run", line: number,
                hint: "close the quote; testbed reads one command per line (\\-continuations joined)")
            builder.note(Note(text: logical, location: location(number)))
            return next
        }
        if let heredoc = HeredocStart(tokens: tokens, raw: logical) {
            return readHeredoc(heredoc, number: number, next: next)
        }
        if let (stage, invocation) = NodeInvocation.find(in: tokens) {
            readOneLiner(invocation, stage: stage, tokens: tokens, logical: logical, number: number)
            return next
        }
        if first == "lxc", words.count >= 2, words[1] == "exec" {
            errors.append(
                source.error(
                    .syntax, "'lxc exec' names no container", line: number, hint: "write 'lxc exec NAME -- COMMAND'"))
            return next
        }
        lastWasPing = false
        if first == "echo", !words.contains(where: Self.isOperator) {
            let title = words.dropFirst().drop { ["-e", "-n", "-E", "-en", "-ne"].contains($0) }.joined(separator: " ")
            if !title.isEmpty { addHeading(level: 3, text: title, number: number) }
            return next
        }
        if readControllerLine(words, logical: logical, number: number) { return next }
        builder.note(Note(text: logical, location: location(number)))
        warnHostLine(words, number: number)
        return next
    }

    /// The last line of a command whose quote spans lines (`lxc exec NAME -- bash -c '…` over several
    /// lines); nil when the line is complete or is no command for a system.
    func quoteEnd(of logical: String, from last: Int) -> Int? {
        let trimmed = logical.trimmingLeadingSpaces
        guard ShellTokenizer.tokens(logical) == nil, trimmed.hasPrefix("lxc ") || trimmed.hasPrefix("ssh ") else {
            return nil
        }
        var text = logical
        var line = last
        while line + 1 < lines.count, line - last < 500 {
            line += 1
            text += "\n" + lines[line]
            if let tokens = ShellTokenizer.tokens(text) {
                // Only a command for a system may span lines; anything else stays one line (and is reported).
                return NodeInvocation.find(in: tokens)?.invocation.commandStart != nil ? line : nil
            }
        }
        return nil
    }

    static func isOperator(_ word: String) -> Bool {
        ["|", "||", "&&", ";", "&", ">", ">>", "<", "&>", ">&", "<&", "(", ")", "<<"].contains(word)
    }

    /// The node for a container or host name, by name or alias, else by `--assume`; nil after reporting an error.
    mutating func node(forName name: String, kind: String, number: Int, column: Int) -> NodeName? {
        if let node = resolver.resolve(name) { return node }
        if let assumed = assumptions.node(forAnyOf: number...number) {
            inferences.append(
                SystemInference(
                    location: location(number, column: column), written: name, node: assumed.node, isAssumed: true,
                    evidence: []))
            return assumed.node
        }
        errors.append(
            source.error(
                .unknownReference, "unknown \(kind) '\(name)'", line: number, column: column,
                hint: "\(kind == "container" ? "containers" : "ssh hosts") map to topology nodes by name: "
                    + "\(resolver.candidateList); "
                    + "or decide with --assume \"\(number)=NODE\""))
        return nil
    }

    mutating func add(block: NodeBlock, at location: InputLocation) {
        if let check = PingBlock.check(node: block.node, label: block.label, lines: block.lines) {
            if lastWasPing, var last = builder.lastCheck, PingBlock.canMerge(last, check) {
                last.targets += check.targets
                last.originalLines += check.originalLines
                builder.replaceLastCheck(last)
            } else {
                builder.check(.reach(check), at: location)
            }
            lastWasPing = true
        } else {
            builder.block(block, at: location)
            lastWasPing = false
        }
    }

    mutating func result() throws(InputErrors) -> ImportResult {
        let steps = builder.finish(source: source, errors: &errors)
        let plan = Plan(
            title: builder.planTitle, sourceKind: .script, sourcePath: source.path, notes: builder.planNotes,
            steps: steps)
        if !errors.contains(where: { $0.severity == .error }), plan.counts.blocks + plan.counts.checks == 0 {
            errors.append(
                source.error(
                    .missingKey, "nothing to import: the script has no 'lxc exec' or 'ssh' heredocs or one-liners",
                    line: 1,
                    hint: "a replay script runs commands as 'cat <<EOF | lxc exec NAME bash' … 'EOF', "
                        + "'lxc exec NAME -- COMMAND' or 'ssh NAME sudo COMMAND'"))
        }
        guard !errors.contains(where: { $0.severity == .error }) else { throw InputErrors(errors) }
        let report = ImportReport(plan: plan, repairs: repairs, inferences: inferences, warnings: errors)
        return ImportResult(plan: plan, report: report, source: source)
    }
}
