import Yams

extension PlanReader {
    mutating func readStep(_ item: Yams.Node, index: Int) -> Step? {
        let what = "step \(index + 1)"
        guard let entries = walker.mapping(item, what) else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.stepKeys, in: what)
        let field = { (key: String) in entries.first { $0.key == key } }
        let location = walker.location(of: item)

        let id = readStepID(field("id"), index: index)
        let operation = field("op").flatMap { readOperation($0) }
        let isBarrier = field("barrier").flatMap { walker.bool($0.value, "'barrier'") } ?? false
        let notes = field("notes").map { readNotes($0.value) } ?? []

        let actionKeys = ["blocks", "run", "reach", "expect", "service", "wait", "conform", "fault"].filter {
            field($0) != nil
        }
        guard actionKeys.count == 1, let actionEntry = field(actionKeys[0]) else {
            walker.error(
                actionKeys.isEmpty ? .missingKey : .invalidValue,
                actionKeys.isEmpty
                    ? "\(what) has nothing to do"
                    : "\(what) mixes \(actionKeys.map { "'\($0)'" }.joined(separator: " and "))",
                at: item,
                hint:
                    "give a step exactly one of: 'blocks' (a list of node + run), 'node' + 'run', 'reach', 'expect', "
                    + "'service', 'wait', 'conform', 'fault'")
            return nil
        }
        var title = field("title").flatMap { walker.string($0.value, "'title'") } ?? ""
        guard let action = readAction(actionEntry, entries: entries, at: item, what: what) else { return nil }
        if actionKeys[0] != "run", let stray = entries.first(where: { $0.key == "node" || $0.key == "netns" }) {
            walker.error(
                .invalidValue, "'\(stray.key)' belongs inside the step's \(actionKeys[0])", at: stray.keyNode,
                hint: "move it into each block, or use the short form 'node' + 'run' for a single block")
        }
        if title.isEmpty { title = Self.defaultTitle(for: action, id: id) }
        var step = Step(
            id: id, title: title, operation: operation, isBarrier: isBarrier, action: action, notes: notes,
            location: location)
        if let entry = field("together"), let together = walker.bool(entry.value, "'together'") {
            if together, case .blocks(let blocks) = action, Set(blocks.map(\.node)).count < blocks.count {
                walker.error(
                    .invalidValue, "blocks started together must be on different nodes", at: entry.value,
                    hint: "a node runs one block at a time; put the second block of a node in the next step")
            }
            step.startsTogether = together
        }
        return step
    }

    static func defaultTitle(for action: Step.Action, id: String) -> String {
        switch action {
        case .blocks(let blocks): blocks.first?.commands.first.map { "\(blocks[0].node): \($0.text)" } ?? id
        case .reach(let check): "reach from \(check.node)"
        case .expect(let check): "expect on \(check.node)"
        case .service(let service): "service \(service.name) on \(service.node)"
        case .conform(let check): "conformance of \(check.node) to \(check.source)"
        case .wait(let milliseconds): "wait \(milliseconds) ms"
        case .fault(let fault): fault.summary
        }
    }

    mutating func readBlocks(_ node: Yams.Node) -> [NodeBlock]? {
        guard let items = walker.sequence(node, "'blocks'") else { return nil }
        if items.isEmpty {
            walker.error(
                .missingKey, "'blocks' is empty", at: node, hint: "add at least one block: - node: NAME / run: COMMANDS"
            )
        }
        var blocks: [NodeBlock] = []
        for (index, item) in items.enumerated() {
            let what = "block \(index + 1)"
            guard let entries = walker.mapping(item, what) else { continue }
            walker.rejectUnknownKeys(entries, allowed: Self.blockKeys, in: what)
            if let block = readBlock(keys: entries, at: item, what: what) { blocks.append(block) }
        }
        return blocks
    }

    /// A block from its `node`, `netns` and `run` keys.
    mutating func readBlock(keys: [YAMLEntry], at item: Yams.Node, what: String) -> NodeBlock? {
        guard let nodeEntry = keys.first(where: { $0.key == "node" }) else {
            walker.error(
                .missingKey, "\(what) has no 'node'", at: item, hint: "add 'node: NAME' (a node of the topology)")
            return nil
        }
        guard let runEntry = keys.first(where: { $0.key == "run" }) else {
            walker.error(.missingKey, "\(what) has no 'run'", at: item, hint: "add 'run:' with the commands to run")
            return nil
        }
        let resolved = resolveNode(nodeEntry.value, "'node'")
        let netns = keys.first { $0.key == "netns" }.flatMap { readNetns($0.value) }
        guard let lines = readScript(runEntry.value, "'run'") else { return nil }
        if ShellLines.commands(of: lines).isEmpty {
            walker.error(
                .invalidValue, "\(what) has no commands", at: runEntry.value,
                hint: "write at least one command under 'run', or remove the block")
            return nil
        }
        guard let resolved else { return nil }
        return NodeBlock(
            node: resolved.name, netns: netns, lines: lines, location: walker.location(of: nodeEntry.keyNode),
            label: resolved.label)
    }

    /// The step's id: given (letters, digits, `_.-`; unique), or `sN`.
    private mutating func readStepID(_ entry: YAMLEntry?, index: Int) -> String {
        var id = "s\(index + 1)"
        if let entry, let given = walker.nonEmptyString(entry.value, "'id'") {
            if !given.unicodeScalars.allSatisfy({ Names.isASCIIAlphanumeric($0) || "_.-".unicodeScalars.contains($0) })
            {
                walker.error(
                    .invalidValue, "step id '\(given)' is not usable", at: entry.value,
                    hint: "use letters, digits, '_', '.', '-' (ids are typed in --from/--to)")
            } else if let first = stepIDs[given] {
                walker.error(
                    .duplicate, "step id '\(given)' is already used by step \(first)", at: entry.value,
                    hint: "give every step its own id")
            }
            id = given
        }
        stepIDs[id] = stepIDs[id] ?? index + 1
        return id
    }

    /// `op:`: any name is kept; one testbed does not know is a warning.
    private mutating func readOperation(_ entry: YAMLEntry) -> OperationKind? {
        guard let text = walker.nonEmptyString(entry.value, "'op'") else { return nil }
        if !OperationKind.known.contains(OperationKind(rawValue: text)) {
            walker.error(
                .invalidValue, "unknown operation '\(text)'", at: entry.value,
                hint: "known operations: \(OperationKind.known.map(\.rawValue).joined(separator: ", "))",
                severity: .warning)
        }
        return OperationKind(rawValue: text)
    }

    /// What the step does, from its one action key.
    private mutating func readAction(_ actionEntry: YAMLEntry, entries: [YAMLEntry], at item: Yams.Node, what: String)
        -> Step.Action?
    {
        switch actionEntry.key {
        case "blocks":
            return readBlocks(actionEntry.value).map { .blocks($0) }
        case "run":
            let lookup = entries.filter { Self.blockKeys.contains($0.key) }
            return readBlock(keys: lookup, at: item, what: what).map { .blocks([$0]) }
        case "reach":
            return readReach(actionEntry.value).map { .reach($0) }
        case "service":
            return readService(actionEntry.value).map { .service($0) }
        case "wait":
            return readWait(actionEntry.value).map { .wait(milliseconds: $0) }
        case "conform":
            return readConform(actionEntry.value).map { .conform($0) }
        case "fault":
            return readFault(actionEntry.value).map { .fault($0) }
        default:
            return readExpect(actionEntry.value).map { .expect($0) }
        }
    }
}
