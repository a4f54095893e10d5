/// Writes a plan as a documentation page: `# title`, headings with their anchors, prose notes,
/// `**sistema 𝛽**` + a fenced block per command block, ping checks as the lines they were written as.
///
/// The page imports back into the same plan (`PageImporter`), because the renderer follows the importer's
/// step rules (`StepBuilder`) and adds a `<!-- testbed:… -->` comment only where the page format alone cannot
/// say what the plan holds (see `PageMeta`). Command blocks are written byte for byte.
public enum PageRenderer {
    /// The page text of a plan.
    /// - Parameters:
    ///   - topology: names blocks without a label by their node's first alias.
    ///   - annotations: per step id, the outcome of a finished run, added as `> testbed: …` lines.
    public static func render(
        _ plan: Plan, topology: Topology? = nil, annotations: [String: RunAnnotation] = [:]
    ) -> String {
        var page = PageText()
        page.element([PageLine.renderHeading(Heading(level: 1, text: singleLine(plan.title)))])
        for note in plan.notes { page.note(note.text) }
        var allocator = StepIDAllocator()
        var section: String?
        var previous: StepBuilder.Content?
        for step in plan.steps {
            switch step.action {
            case .service, .conform:
                page.note("> testbed: step \(step.id), \(step.title): a page cannot carry this step")
                continue
            default: break
            }
            let content = StepBuilder.Content(step.action)
            let derivedTitle = step.heading?.text ?? section ?? plan.title
            var fields: [PageMeta.Field] = []
            if step.title != derivedTitle { fields.append(.init(key: "title", value: step.title)) }
            if step.id != allocator.candidate(for: step.title) { fields.append(.init(key: "id", value: step.id)) }
            if step.operation != StepBuilder.derivedOperation(title: step.title, content: content) {
                fields.append(.init(key: "op", value: step.operation?.rawValue ?? ""))
            }
            if step.isBarrier { fields.append(.init(key: "barrier", value: "true")) }
            if let seconds = step.waitSeconds { fields.append(.init(key: "wait", value: Self.seconds(seconds))) }
            let leadingNotes = step.notes.filter { ($0.afterBlocks ?? 0) <= 0 }
            let isImplicit =
                step.heading == nil && content.blockCount > 0 && leadingNotes.isEmpty
                && !StepBuilder.joins(isCheck: content.isCheck, current: previous)
            if !fields.isEmpty || (step.heading == nil && !isImplicit) {
                page.element([PageMeta(kind: .step, fields: fields).rendered])
            }
            if let heading = step.heading {
                page.element([PageLine.renderHeading(heading)])
                section = heading.text
            }
            allocator.use(step.id)
            let annotation = annotations[step.id]
            if let annotation { page.element([annotation.line]) }
            for note in leadingNotes { page.note(note.text) }
            renderContent(step, content: content, topology: topology, annotation: annotation, into: &page)
            previous = content
        }
        return page.text
    }

    private static func renderContent(
        _ step: Step, content: StepBuilder.Content, topology: Topology?, annotation: RunAnnotation?,
        into page: inout PageText
    ) {
        let count = content.blockCount
        func notes(after index: Int) {
            for note in step.notes {
                let after = note.afterBlocks ?? 0
                if after == index || (index == count && after > count) { page.note(note.text) }
            }
        }
        switch content {
        case .blocks(let blocks):
            for (index, block) in blocks.enumerated() {
                var lines: [String] = []
                let label = label(block.label, node: block.node, topology: topology)
                // A comment keeps a block of commands from reading back as a ping check or as data.
                if block.netns != nil || PingBlock.check(node: block.node, label: label, lines: block.lines) != nil
                    || DataBlock.isData(block.lines.map(\.text))
                {
                    let fields = block.netns.map { [PageMeta.Field(key: "netns", value: $0.rawValue)] } ?? []
                    lines.append(PageMeta(kind: .block, fields: fields).rendered)
                }
                lines.append(SystemLine.render(label: label))
                lines += fenced(block.lines.map(\.text))
                if index < (annotation?.blocks.count ?? 0), let blockAnnotation = annotation?.blocks[index] {
                    lines.append(blockAnnotation.line)
                }
                page.element(lines)
                notes(after: index + 1)
            }
        case .reach(let check):
            var lines: [String] = []
            let label = label(check.label, node: check.node, topology: topology)
            var body = check.originalLines.map(\.text)
            if body.isEmpty {
                lines.append(PageMeta(kind: .block, fields: [.init(key: "lines", value: "generated")]).rendered)
                body = check.targets.map {
                    PingIdiom.line(
                        node: check.node, netns: check.netns, target: $0, count: check.count,
                        timeoutMilliseconds: check.timeoutMilliseconds, expectation: check.expectation)
                }
            }
            lines.append(SystemLine.render(label: label))
            lines += fenced(body)
            page.element(lines)
            notes(after: 1)
        case .expect(let check):
            var fields = [PageMeta.Field(key: "status", value: String(check.status))]
            if let netns = check.block.netns { fields.append(.init(key: "netns", value: netns.rawValue)) }
            fields += check.stdoutContains.map { .init(key: "contains", value: $0) }
            fields += check.stdoutExcludes.map { .init(key: "excludes", value: $0) }
            if let pattern = check.stdoutMatches { fields.append(.init(key: "matches", value: pattern)) }
            let label = label(check.block.label, node: check.block.node, topology: topology)
            page.element(
                [PageMeta(kind: .expect, fields: fields).rendered, SystemLine.render(label: label)]
                    + fenced(check.block.lines.map(\.text)))
            notes(after: 1)
        }
    }

    /// The block's label if it reads back as a system line naming it, else the node's first alias or name.
    static func label(_ label: String?, node: NodeName, topology: Topology?) -> String {
        if let label, !label.isEmpty, let parsed = SystemLine(SystemLine.render(label: label)), parsed.written == label,
            !parsed.name.isEmpty
        {
            return label
        }
        return topology?.nodes[node]?.aliases.first ?? node.rawValue
    }

    /// The lines between fences long enough that no line closes them early.
    static func fenced(_ lines: [String]) -> [String] {
        var length = 3
        for line in lines where PageLine.closesFence(line, marker: "`", length: length) {
            length = line.trimmingLeadingSpaces.prefix { $0 == "`" }.count + 1
        }
        let fence = String(repeating: "`", count: length)
        return [fence] + lines + [fence]
    }

    /// `2` for 2.0, `0.5` for 0.5: as a script's `sleep` wrote it, read back exactly.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}

extension StepBuilder.Content {
    init(_ action: Step.Action) {
        switch action {
        case .blocks(let blocks): self = .blocks(blocks)
        case .reach(let check): self = .reach(check)
        case .expect(let check): self = .expect(check)
        // Pages have no form for services and waits; the renderer says so where they stood.
        case .service, .wait, .conform, .fault: self = .blocks([])
        }
    }
}

/// Page text built from elements separated by one blank line.
struct PageText {
    private(set) var lines: [String] = []

    mutating func element(_ element: [String]) {
        if !lines.isEmpty { lines.append("") }
        lines += element
    }

    /// Prose, with lines that would import as something else protected by a backslash; a code block kept as a
    /// note is written as it was.
    mutating func note(_ text: String) {
        let noteLines = ImportSource.lines(text)
        if DataBlock.isDataNote(noteLines) {
            element(noteLines)
            return
        }
        if noteLines.count >= 2, case .fence(let marker, let length) = PageLine.classify(noteLines[0]),
            let closing = noteLines.dropFirst().firstIndex(where: {
                PageLine.closesFence($0, marker: marker, length: length)
            }), closing == noteLines.count - 1
        {
            element(noteLines)
            return
        }
        element(noteLines.map { PageLine.needsEscape($0) ? "\\" + $0 : $0 })
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}
