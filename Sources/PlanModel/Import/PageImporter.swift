/// Reads a documentation page (Markdown) into a plan.
///
/// ```
/// # Page title                          → the plan's title
/// [Previous page](Page4.md)             → a note of the plan
/// ### <a name="arc"></a> Arc formation  → a step (anchor kept)
/// Prose.                                → a note of the step, never run
/// **sistema 𝜀**                         → a block of the node aliased 𝜀 (or named epsilon, or ε)
/// ```                                   → the block's lines, verbatim, each with its page line
/// ip route add 169.254.96.141 dev eth1 src 169.254.163.36
/// ```
/// ```
///
/// Several system blocks under one heading make one step; a heading with only prose makes a step without
/// blocks; a block of nothing but ping checks becomes a reach check. Encoding damage is repaired first, and
/// blocks whose system name is lost are matched to a system by what their commands do (see `SystemInferrer`).
public enum PageImporter {
    /// Imports page text that came from `path`.
    /// - Parameters:
    ///   - assumptions: page line → system, for blocks whose system cannot be told (`--assume LINE=NODE`).
    /// - Throws: `InputErrors` with every error (and the warnings) found.
    public static func parse(
        text: String, path: String, topology: Topology, assumptions: [Int: String] = [:]
    ) throws(InputErrors) -> ImportResult {
        let prepared = ImportSource(text: text, path: path)
        if prepared.hasErrors { throw InputErrors(prepared.errors) }
        var reader = PageReader(prepared: prepared, topology: topology, assumptions: assumptions)
        reader.read()
        return try reader.result()
    }
}

/// The state of one page read.
struct PageReader {
    let source: SourceText
    let lines: [String]
    let repairs: [EncodingRepair]
    let resolver: SystemNameResolver
    let inferrer: SystemInferrer
    var assumptions: Assumptions
    var errors: [InputError]
    var inferences: [SystemInference] = []
    var dataBlocks: [DataBlock] = []
    var history = SystemHistory()
    var builder: StepBuilder
    var hasTitle = false
    var ignoredOutcomes = 0
    var pendingBlockMeta: (meta: PageMeta, line: Int)?
    var paragraph: [(text: String, line: Int)] = []

    init(prepared: ImportSource, topology: Topology, assumptions: [Int: String]) {
        source = prepared.source
        lines = ImportSource.lines(prepared.source.text)
        repairs = prepared.repairs
        resolver = SystemNameResolver(topology: topology)
        inferrer = SystemInferrer(topology: topology)
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
            switch PageLine.classify(line) {
            case .blank:
                flushParagraph()
            case .outcome:
                flushParagraph()
                ignoredOutcomes += 1
            case .meta:
                flushParagraph()
                readMeta(line, number: number)
            case .heading(let level, let text, let anchor):
                flushParagraph()
                readHeading(level: level, text: text, anchor: anchor, number: number)
            case .system(let system):
                flushParagraph()
                index = readSystem(system, number: number, next: index)
            case .fence(let marker, let length):
                flushParagraph()
                index = readStrayFence(marker: marker, length: length, number: number, next: index)
            case .prose:
                paragraph.append((Self.unescaped(line), number))
            }
        }
        flushParagraph()
        if let pending = pendingBlockMeta {
            warn(
                "this testbed comment is not followed by a system block; it is ignored", line: pending.line,
                hint: "put it on the line right before a '**sistema X**' line, or remove it")
        }
        errors += assumptions.unusedWarnings(source: source)
    }

    /// Prose lines a render protected with a backslash (`\# not a heading`) lose that backslash.
    static func unescaped(_ line: String) -> String {
        guard line.hasPrefix("\\") else { return line }
        switch PageLine.classify(line.drop { $0 == "\\" }) {
        case .prose, .blank: return line
        default: return String(line.dropFirst())
        }
    }

    mutating func flushParagraph() {
        guard let first = paragraph.first else { return }
        builder.note(Note(text: paragraph.map(\.text).joined(separator: "\n"), location: location(first.line)))
        paragraph = []
    }

    mutating func readHeading(level: Int, text: String, anchor: String?, number: Int) {
        if !hasTitle, level == 1, builder.drafts.isEmpty, pendingBlockMeta == nil {
            hasTitle = true
            builder.planTitle = text
            return
        }
        if pendingBlockMeta != nil { dropPendingMeta(before: "a heading") }
        builder.heading(
            Heading(level: level, text: text, anchor: anchor, location: location(number)), at: location(number))
    }

    mutating func readMeta(_ line: String, number: Int) {
        switch PageMeta.parse(line) {
        case .notMeta: paragraph.append((line, number))
        case .malformed(let reason):
            errors.append(
                source.error(
                    .syntax, "malformed testbed comment: \(reason)", line: number,
                    hint: "testbed writes these as <!-- testbed:step key=\"value\" … -->; fix or remove the line"))
        case .meta(let meta):
            if pendingBlockMeta != nil { dropPendingMeta(before: "another testbed comment") }
            if meta.kind == .step {
                builder.meta(meta, at: location(number))
            } else {
                pendingBlockMeta = (meta, number)
            }
        }
    }

    mutating func dropPendingMeta(before what: String) {
        guard let pending = pendingBlockMeta else { return }
        warn(
            "this testbed comment is followed by \(what), not by a system block; it is ignored", line: pending.line,
            hint: "put it on the line right before a '**sistema X**' line, or remove it")
        pendingBlockMeta = nil
    }

    /// A code block without a system line: shown as a note, never run.
    mutating func readStrayFence(marker: Character, length: Int, number: Int, next: Int) -> Int {
        var end = next
        while end < lines.count, !PageLine.closesFence(lines[end], marker: marker, length: length) { end += 1 }
        let closed = end < lines.count
        var last = closed ? end : lines.count - 1
        // An unclosed block runs to the end of the page; blank lines there are not part of it.
        while !closed, last > number - 1, PageLine.classify(lines[last]) == .blank { last -= 1 }
        var text = lines[(number - 1)...last].joined(separator: "\n")
        if !closed { text += "\n" + String(repeating: marker, count: length) }  // closed where the page ends
        builder.note(Note(text: text, location: location(number)))
        warn(
            closed
                ? "this code block has no '**sistema X**' line before it; it is kept as a note and not run"
                : "this code block has no '**sistema X**' line before it and is never closed; "
                    + "the rest of the page is kept as a note",
            line: number, hint: "put '**sistema NAME**' on the line before the block if its commands must run")
        return closed ? end + 1 : lines.count
    }

    mutating func warn(_ message: String, line: Int, column: Int = 1, hint: String) {
        errors.append(source.error(.invalidValue, message, line: line, column: column, hint: hint, severity: .warning))
    }

    mutating func result() throws(InputErrors) -> ImportResult {
        let steps = builder.finish(source: source, errors: &errors)
        let plan = Plan(
            title: builder.planTitle, sourceKind: .page, sourcePath: source.path, notes: builder.planNotes, steps: steps
        )
        let hasErrors = errors.contains { $0.severity == .error }
        if !hasErrors, steps.isEmpty {
            errors.append(
                source.error(
                    .missingKey, "nothing to import: the page has no headings and no '**sistema X**' blocks", line: 1,
                    hint: "a page names each block's system on a line '**sistema NAME**' right before the ``` block"))
        } else if !hasErrors, plan.counts.blocks + plan.counts.checks == 0 {
            warn(
                "the page has no '**sistema X**' blocks: nothing in it runs", line: 1,
                hint: "a page names each block's system on a line '**sistema NAME**' right before the ``` block")
        }
        guard !errors.contains(where: { $0.severity == .error }) else { throw InputErrors(errors) }
        let report = ImportReport(
            plan: plan, repairs: repairs, inferences: inferences, warnings: errors,
            ignoredOutcomeLines: ignoredOutcomes,
            dataBlocks: dataBlocks)
        return ImportResult(plan: plan, report: report, source: source)
    }
}
