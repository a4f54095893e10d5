/// Turns a session file (`SessionScript`) into plan steps, item by item in file order:
///
/// - a terminal's program (`Terminale 1:` + `ssh gamma qspnclient … init …`) → a **service** on that node, named
///   after the program;
/// - `ssh NODE cmd` one-liners and `cat <<EOF | ssh NODE bash` heredocs → **blocks** (a one-liner that is only a
///   `ping [-q -n -c N -W S] ADDRESS` → a **reach check**);
/// - blocks ending in `&` → one step whose blocks **start together**;
/// - `sleep N` → a **wait**; with `sleepAsRetry`, a sleep right before a check (notes aside) becomes that check's
///   **retry timeout** instead, and so for each further check up to the next step that is not one (N seconds
///   each: a check holds as soon as it can, at most as late as the author waited); a sleep before anything else
///   stays a wait, and the step's note says why;
/// - the `show_*` one-liners that end a section → **expect checks** (status 0), whose output the report keeps;
/// - `echo` titles and `#` comments → notes of the next step (the preamble: the plan's title and notes).
public enum SessionImporter {
    public struct Options: Sendable, Hashable {
        public var sleepAsRetry: Bool

        public init(sleepAsRetry: Bool = false) { self.sleepAsRetry = sleepAsRetry }
    }

    /// Reads and maps a session file.
    /// - Throws: `InputErrors` with every problem found (the parser's and the mapping's).
    public static func parse(text: String, path: String, topology: Topology, options: Options = Options())
        throws(InputErrors) -> ImportResult
    {
        let script = try SessionScriptParser.parse(text: text, path: path, topology: topology)
        var builder = SessionPlanBuilder(source: SourceText(path: path, text: text), options: options)
        builder.add(script.items)
        guard !builder.errors.contains(where: { $0.severity == .error }) else { throw InputErrors(builder.errors) }
        let title =
            script.preamble.first?.text ?? ImportSource.defaultTitle(path: path)
        let notes = script.preamble.dropFirst().map { Note(text: $0.text, location: $0.location) }
        let plan = Plan(title: title, sourceKind: .session, sourcePath: path, notes: notes, steps: builder.steps)
        let report = ImportReport(plan: plan, warnings: script.warnings + builder.errors)
        return ImportResult(plan: plan, report: report, source: SourceText(path: path, text: text))
    }

    /// `ping [-q] [-n] [-c N] [-W S] ADDRESS`, as a reach check; nil for anything else.
    static func reach(_ block: SessionBlock, node: NodeName) -> ReachCheck? {
        guard block.form == .oneLiner, block.lines.count == 1,
            var words = ShellWords.split(block.lines[0].text)?[...], words.first == "ping"
        else { return nil }
        words = words.dropFirst()
        var check = ReachCheck(node: node, targets: [])
        while let word = words.popFirst() {
            switch word {
            case "-q", "-n", "-qn", "-nq": continue
            case "-c":
                guard let count = words.popFirst().flatMap({ Int($0) }), (1...100).contains(count) else { return nil }
                check.count = count
            case "-W":
                guard let seconds = words.popFirst().flatMap({ Double($0) }), seconds > 0, seconds <= 60 else {
                    return nil
                }
                check.timeoutMilliseconds = Int((seconds * 1000).rounded())
            default:
                guard check.targets.isEmpty, let address = IPAddress(word) else { return nil }
                check.targets = [address]
            }
        }
        guard !check.targets.isEmpty else { return nil }
        check.originalLines = block.lines.map { ScriptLine($0.text, at: $0.location) }
        return check
    }
}

/// The steps of one session, built item by item.
struct SessionPlanBuilder {
    let source: SourceText
    let options: SessionImporter.Options
    var steps: [Step] = []
    var errors: [InputError] = []
    private var ids = StepIDAllocator()
    private var pendingNotes: [Note] = []
    /// A `sleep` waiting to see whether a check follows it; it stays for the checks after that one, until a
    /// step that is not a check.
    private var pendingSleep: (seconds: Double, location: InputLocation)?
    private var sleepCoveredACheck = false

    init(source: SourceText, options: SessionImporter.Options) {
        self.source = source
        self.options = options
    }

    mutating func add(_ items: [SessionItem]) {
        for item in items { add(item) }
        flushSleep()
        if !pendingNotes.isEmpty, !steps.isEmpty { steps[steps.count - 1].notes += pendingNotes }
    }

    private mutating func add(_ item: SessionItem) {
        switch item {
        case .note(let note):
            pendingNotes.append(Note(text: note.text, location: note.location))
        case .wait(let seconds, let location):
            flushSleep()
            if options.sleepAsRetry {
                pendingSleep = (seconds, location)
            } else {
                appendWait(seconds, at: location)
            }
        case .service(let service):
            flushSleep()
            guard let node = NodeName(service.node) else { return }
            let program = Self.program(of: service.command)
            let name = ServiceName(program) ?? "service"
            let start = ServiceStep.Action.start(command: service.command, environment: [:], ready: nil)
            append(
                title: "Terminale \(service.terminal): \(program) on \(node)",
                action: .service(ServiceStep(node: node, name: name, action: start)), at: service.location)
        case .block(let block):
            guard let node = NodeName(block.node) else { return }
            if let check = SessionImporter.reach(block, node: node) {
                addCheck(.reach(check), title: "\(node): \(block.lines[0].text)", at: block.location)
            } else {
                flushSleep()
                append(title: Self.title(block), action: .blocks([nodeBlock(block, node: node)]), at: block.location)
            }
        case .together(let blocks, _, let location):
            flushSleep()
            addTogether(blocks, at: location)
        case .outputCheck(let block):
            guard let node = NodeName(block.node) else { return }
            let check = ExpectCheck(block: nodeBlock(block, node: node))
            addCheck(.expect(check), title: Self.title(block), at: block.location)
        }
    }

    private mutating func addTogether(_ blocks: [SessionBlock], at location: InputLocation) {
        var seen: Set<String> = []
        for block in blocks where !seen.insert(block.node).inserted {
            errors.append(
                InputError(
                    .invalidValue, "two blocks of \(block.node) are started together", at: block.location,
                    hint: "a node runs one block at a time: end the first one without '&', or put 'wait' between",
                    sourceLine: source.line(block.location.line)))
            return
        }
        let nodeBlocks = blocks.compactMap { block in NodeName(block.node).map { nodeBlock(block, node: $0) } }
        let title = "together: " + blocks.map { Self.title($0) }.joined(separator: "; ")
        append(title: title, action: .blocks(nodeBlocks), at: location) { $0.startsTogether = true }
    }

    /// A check, taking the sleep right before it as its retry timeout when asked to.
    private mutating func addCheck(_ action: Step.Action, title: String, at location: InputLocation) {
        var action = action
        var note: Note?
        if let sleep = pendingSleep {
            sleepCoveredACheck = true
            let policy = RetryPolicy(timeoutMilliseconds: max(1, Int((sleep.seconds * 1000).rounded())))
            switch action {
            case .reach(var check):
                check.retry = policy
                action = .reach(check)
            case .expect(var check):
                check.retry = policy
                action = .expect(check)
            default: break
            }
            note = Note(
                text: "sleep \(Self.format(sleep.seconds)) (line \(sleep.location.line)) is this check's retry timeout",
                location: sleep.location)
        }
        append(title: title, action: action, at: location) { step in
            if let note { step.notes.append(note) }
        }
    }

    /// At a step that is not a check: a sleep that covered checks is done; one not followed by any stays a wait.
    private mutating func flushSleep() {
        guard let sleep = pendingSleep else { return }
        pendingSleep = nil
        defer { sleepCoveredACheck = false }
        guard !sleepCoveredACheck else { return }
        appendWait(
            sleep.seconds, at: sleep.location,
            note: Note(text: "stays a wait: no check follows it", location: sleep.location))
    }

    private mutating func appendWait(_ seconds: Double, at location: InputLocation, note: Note? = nil) {
        let milliseconds = Int((seconds * 1000).rounded())
        append(title: "sleep \(Self.format(seconds))", action: .wait(milliseconds: milliseconds), at: location) {
            step in if let note { step.notes.append(note) }
        }
    }

    private mutating func append(
        title: String, action: Step.Action, at location: InputLocation, adjust: (inout Step) -> Void = { _ in }
    ) {
        let id = ids.candidate(for: title)
        ids.use(id)
        var step = Step(id: id, title: title, action: action, notes: pendingNotes, location: location)
        pendingNotes = []
        adjust(&step)
        steps.append(step)
    }

    private func nodeBlock(_ block: SessionBlock, node: NodeName) -> NodeBlock {
        NodeBlock(
            node: node, lines: block.lines.map { ScriptLine($0.text, at: $0.location) }, location: block.location,
            label: block.node)
    }

    /// The program a service command starts, by its file name: the one after the last `exec`, else the first
    /// word that is not a `VAR=value` (`mkdir -p /run/b && exec bird -f …` → `bird`); a plan parameter in its
    /// place by the parameter's name (`${QSPNCLIENT} -i eth1` → `qspnclient`), so names do not depend on values.
    static func program(of command: String) -> String {
        let words = ShellWords.split(command) ?? [command]
        let word =
            words.lastIndex(of: "exec").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
            ?? words.first { !SSHInvocation.isAssignment($0) } ?? command
        if word.hasPrefix("${"), word.hasSuffix("}"), word.count > 3 {
            return word.dropFirst(2).dropLast().lowercased()
        }
        return word.split(separator: "/").last.map(String.init) ?? word
    }

    /// `beta: qspnclient show_local_identities`: the block's first command without `VAR=value` words and
    /// `export` lines, its program without the directory.
    static func title(_ block: SessionBlock) -> String {
        let line = block.lines.first { !$0.text.hasPrefix("export ") } ?? block.lines.first
        var words = ShellWords.split(line?.text ?? "") ?? [line?.text ?? ""]
        while let first = words.first, SSHInvocation.isAssignment(first), words.count > 1 { words.removeFirst() }
        if let program = words.first?.split(separator: "/").last { words[0] = String(program) }
        let text = words.joined(separator: " ")
        return "\(block.node): " + (text.count > 60 ? text.prefix(57) + "…" : text)
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
