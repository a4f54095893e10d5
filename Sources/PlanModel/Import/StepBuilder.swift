/// Builds a plan's steps in document order with the rules both importers share — and that the renderer
/// mirrors, so a render imports back into the same steps:
///
/// - a heading (a page heading, a script's `###` section or `echo` line) starts a step;
/// - a `testbed:step` comment starts a step; a heading right after it belongs to that step;
/// - a command block joins the current step while it holds command blocks, else starts a step without a
///   heading (a *continuation*, titled like the last heading);
/// - a check (ping or expect) becomes the current step when that step has no block and no check yet,
///   else starts a continuation;
/// - prose joins the current step, or the plan before the first step.
struct StepBuilder {
    enum Content: Sendable, Hashable {
        case blocks([NodeBlock])
        case reach(ReachCheck)
        case expect(ExpectCheck)

        var blockCount: Int {
            switch self {
            case .blocks(let blocks): blocks.count
            case .reach, .expect: 1
            }
        }

        var isCheck: Bool {
            if case .blocks = self { false } else { true }
        }

        /// Whether this is a step that would take a check: it has nothing runnable yet.
        var isUndecided: Bool {
            if case .blocks(let blocks) = self { blocks.isEmpty } else { false }
        }
    }

    struct Draft: Sendable, Hashable {
        var meta: PageMeta?
        var heading: Heading?
        /// The title of the heading before it, for a step without its own heading.
        var inheritedTitle: String
        var content: Content = .blocks([])
        var notes: [Note] = []
        var location: InputLocation
        /// A wait step (a script's `sleep N`): nothing joins it.
        var waitSeconds: Double?

        var isEmpty: Bool { heading == nil && notes.isEmpty && content.isUndecided && waitSeconds == nil }
        /// Whether a block or check may still join the step.
        var isOpen: Bool { waitSeconds == nil }
        var title: String { meta?.value("title") ?? heading?.text ?? inheritedTitle }
    }

    /// The title continuations before any heading take; a page's `# Title` sets it.
    var planTitle: String
    private(set) var sectionTitle: String?
    private(set) var planNotes: [Note] = []
    private(set) var drafts: [Draft] = []

    init(planTitle: String) {
        self.planTitle = planTitle
    }

    var inheritedTitle: String { sectionTitle ?? planTitle }

    mutating func heading(_ heading: Heading, at location: InputLocation) {
        if let last = drafts.indices.last, drafts[last].meta != nil, drafts[last].isEmpty {
            drafts[last].heading = heading
        } else {
            drafts.append(Draft(heading: heading, inheritedTitle: inheritedTitle, location: location))
        }
        sectionTitle = heading.text
    }

    mutating func meta(_ meta: PageMeta, at location: InputLocation) {
        var draft = Draft(meta: meta, inheritedTitle: inheritedTitle, location: location)
        draft.waitSeconds = meta.value("wait").flatMap(Double.init).flatMap { $0 >= 0 ? $0 : nil }
        drafts.append(draft)
    }

    mutating func note(_ note: Note) {
        guard let last = drafts.indices.last else {
            planNotes.append(note)
            return
        }
        var note = note
        let count = drafts[last].content.blockCount
        note.afterBlocks = count > 0 ? count : nil
        drafts[last].notes.append(note)
    }

    /// A pause of `seconds` between what comes before and what comes after.
    mutating func wait(_ seconds: Double, at location: InputLocation) {
        drafts.append(Draft(inheritedTitle: inheritedTitle, location: location, waitSeconds: seconds))
    }

    mutating func block(_ block: NodeBlock, at location: InputLocation) {
        if let last = drafts.indices.last, drafts[last].isOpen, case .blocks(var blocks) = drafts[last].content {
            blocks.append(block)
            drafts[last].content = .blocks(blocks)
        } else {
            drafts.append(Draft(inheritedTitle: inheritedTitle, content: .blocks([block]), location: location))
        }
    }

    mutating func check(_ content: Content, at location: InputLocation) {
        if let last = drafts.indices.last, drafts[last].isOpen, drafts[last].content.isUndecided {
            drafts[last].content = content
        } else {
            drafts.append(Draft(inheritedTitle: inheritedTitle, content: content, location: location))
        }
    }

    /// The current step's check, to merge consecutive pings of one node into it.
    var lastCheck: ReachCheck? {
        guard let last = drafts.last, case .reach(let check) = last.content else { return nil }
        return check
    }

    mutating func replaceLastCheck(_ check: ReachCheck) {
        guard let last = drafts.indices.last else { return }
        drafts[last].content = .reach(check)
    }

    /// Whether a block or check of `kind` would join the step `current` (true) or start a continuation.
    static func joins(isCheck: Bool, current: Content?) -> Bool {
        guard let current else { return false }
        if isCheck { return current.isUndecided }
        if case .blocks = current { return true }
        return false
    }

    /// The operation a step gets when no testbed comment names one.
    static func derivedOperation(title: String, content: Content) -> OperationKind? {
        content.isCheck ? .check : OperationKind.named(byTitle: title)
    }

    /// The steps, with ids allocated in order; duplicate ids from testbed comments are reported.
    func finish(source: SourceText, errors: inout [InputError]) -> [Step] {
        var allocator = StepIDAllocator()
        var steps: [Step] = []
        for draft in drafts {
            let title = draft.title
            var id = allocator.candidate(for: title)
            if let given = draft.meta?.value("id") {
                if allocator.isUsed(given) || given.isEmpty
                    || !given.unicodeScalars.allSatisfy({
                        Names.isASCIIAlphanumeric($0) || "_.-".unicodeScalars.contains($0)
                    })
                {
                    errors.append(
                        source.error(
                            .duplicate, "step id '\(given)' is empty, already used or not usable",
                            line: draft.location.line,
                            hint: "give every step its own id of letters, digits, '_', '.', '-'"))
                } else {
                    id = given
                }
            }
            allocator.use(id)
            var operation = Self.derivedOperation(title: title, content: draft.content)
            if let given = draft.meta?.value("op") { operation = given.isEmpty ? nil : OperationKind(rawValue: given) }
            if let given = draft.meta?.value("wait"), draft.waitSeconds == nil {
                errors.append(
                    source.error(
                        .invalidValue, "wait '\(given)' is not a number of seconds", line: draft.location.line,
                        hint: "testbed writes wait=\"SECONDS\" on a step of its own, e.g. wait=\"2\""))
            }
            let action: Step.Action =
                switch draft.content {
                case .blocks(let blocks): .blocks(blocks)
                case .reach(let check): .reach(check)
                case .expect(let check): .expect(check)
                }
            steps.append(
                Step(
                    id: id, title: title, operation: operation, isBarrier: draft.meta?.value("barrier") == "true",
                    action: action, heading: draft.heading, notes: draft.notes, location: draft.location,
                    waitSeconds: draft.waitSeconds))
        }
        return steps
    }
}
