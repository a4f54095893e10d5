extension SessionReader {
    /// Ends the current section: a service when its only command is a plain one-liner, else commands.
    mutating func close() {
        guard let closing = section else { return }
        section = nil
        let commands = closing.entries.filter { if case .note = $0 { false } else { true } }
        if commands.isEmpty {
            if closing.refusedLine { return }
            fail(
                .missingKey, "terminal '\(closing.label)' has no command", line: closing.line,
                hint: "start a program in it (ssh NODE qspnclient … init …) or remove the heading")
            return
        }
        if commands.count == 1, case .block(let block, false, let program, _) = commands[0], block.form == .oneLiner {
            addService(block, program: program ?? "", label: closing.label)
            return
        }
        var warnings: [(String, InputLocation, String)] = []
        let sectionItems = Self.commandItems(closing.entries) { warnings.append(($0, $1, $2)) }
        items += sectionItems
        for (message, location, hint) in warnings { warn(message, line: location.line, hint: hint) }
    }

    mutating func addService(_ block: SessionBlock, program: String, label: String) {
        if let earlier = serviceLines[block.node] {
            fail(
                .duplicate, "a second service on \(block.node)", line: block.location.line,
                column: block.lines.first?.location.column ?? 1,
                hint: "line \(earlier) already started one; a node runs one instance (one FIFO directory) at a time")
            return
        }
        serviceLines[block.node] = block.location.line
        let command = block.lines.first?.text ?? ""
        items.append(
            .service(
                SessionService(
                    terminal: label, node: block.node, command: command, program: program, location: block.location)))
    }

    /// A commands section's entries as items: `&` groups, waits, notes, and the trailing `show_*` output checks.
    static func commandItems(
        _ entries: [Entry], warn: (String, InputLocation, String) -> Void
    ) -> [SessionItem] {
        var items: [SessionItem] = []
        var group: [SessionBlock] = []
        var heldNotes: [SessionNote] = []  // notes between the blocks of a group follow the group
        func closeGroup(awaited: Bool) {
            if let first = group.first { items.append(.together(group, awaited: awaited, location: first.location)) }
            items += heldNotes.map { .note($0) }
            group = []
            heldNotes = []
        }
        let checks = trailingChecks(entries)
        for (index, entry) in entries.enumerated() {
            switch entry {
            case .block(let block, true, _, _):
                group.append(block)
            case .block(let block, false, _, _):
                closeGroup(awaited: false)
                items.append(index >= checks ? .outputCheck(block) : .block(block))
            case .sleep(let seconds, let location):
                closeGroup(awaited: false)
                items.append(.wait(seconds: seconds, location: location))
            case .wait(let location):
                if group.isEmpty {
                    warn("'wait' with no block started by '&' before it", location, "remove it, or end blocks in &")
                }
                closeGroup(awaited: true)
            case .note(let note):
                if group.isEmpty { items.append(.note(note)) } else { heldNotes.append(note) }
            }
        }
        closeGroup(awaited: false)
        return items
    }

    /// The index from which every entry is a plain `show_*` one-liner (or a note): the section's output checks.
    static func trailingChecks(_ entries: [Entry]) -> Int {
        var start = entries.count
        for index in entries.indices.reversed() {
            switch entries[index] {
            case .block(let block, false, _, let argument?)
            where block.form == .oneLiner && argument.hasPrefix("show_"):
                start = index
            case .note:
                continue
            default:
                return start
            }
        }
        return start
    }
}
