import Yams

extension PlanReader {
    mutating func readStep(_ item: Yams.Node, index: Int) -> Step? {
        let what = "step \(index + 1)"
        guard let entries = walker.mapping(item, what) else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.stepKeys, in: what)
        let field = { (key: String) in entries.first { $0.key == key } }
        let location = walker.location(of: item)

        var id = "s\(index + 1)"
        if let entry = field("id"), let given = walker.nonEmptyString(entry.value, "'id'") {
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

        var operation: OperationKind?
        if let entry = field("op"), let text = walker.nonEmptyString(entry.value, "'op'") {
            operation = OperationKind(rawValue: text)
            if !OperationKind.known.contains(OperationKind(rawValue: text)) {
                walker.error(
                    .invalidValue, "unknown operation '\(text)'", at: entry.value,
                    hint: "known operations: \(OperationKind.known.map(\.rawValue).joined(separator: ", "))",
                    severity: .warning)
            }
        }
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
        let action: Step.Action
        var title = field("title").flatMap { walker.string($0.value, "'title'") } ?? ""
        switch actionEntry.key {
        case "blocks":
            guard let blocks = readBlocks(actionEntry.value) else { return nil }
            action = .blocks(blocks)
        case "run":
            let lookup = entries.filter { Self.blockKeys.contains($0.key) }
            guard let block = readBlock(keys: lookup, at: item, what: what) else { return nil }
            action = .blocks([block])
        case "reach":
            guard let check = readReach(actionEntry.value) else { return nil }
            action = .reach(check)
        case "service":
            guard let service = readService(actionEntry.value) else { return nil }
            action = .service(service)
        case "wait":
            guard let milliseconds = readWait(actionEntry.value) else { return nil }
            action = .wait(milliseconds: milliseconds)
        case "conform":
            guard let check = readConform(actionEntry.value) else { return nil }
            action = .conform(check)
        case "fault":
            guard let fault = readFault(actionEntry.value) else { return nil }
            action = .fault(fault)
        default:
            guard let check = readExpect(actionEntry.value) else { return nil }
            action = .expect(check)
        }
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
}
