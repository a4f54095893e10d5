extension PageReader {
    /// A data block under a system line: a note written back as it was, a line of the report, evidence of
    /// which system holds its addresses and MACs. Never run.
    mutating func addData(_ system: SystemLine, number: Int, lastLine: Int, lines blockLines: [ScriptLine]) {
        var node: NodeName? = system.name.isEmpty ? nil : resolver.resolve(system.name)
        if node == nil {
            let weighed = inferrer.weigh(data: blockLines, history: history)
            if weighed.hasSupport, weighed.candidates.count == 1 {
                node = weighed.candidates[0]
                inferences.append(
                    SystemInference(
                        location: location(number, column: system.column), written: system.written,
                        node: weighed.candidates[0], isAssumed: false, evidence: weighed.evidence))
            }
        }
        if let node { history.record(data: blockLines, of: node) }
        let values = DataBlock.values(of: blockLines)
        let rows = blockLines.filter { !$0.text.trimmingLeadingSpaces.isEmpty }.count
        dataBlocks.append(
            DataBlock(
                location: location(number), written: system.written, node: node, rows: rows,
                values: values.addresses.map(\.0.description) + values.macs.map(\.0.description)))
        builder.note(
            Note(text: lines[(number - 1)...(lastLine - 1)].joined(separator: "\n"), location: location(number)))
    }

    /// Warnings for command lines whose first word is no program testbed knows (a typo, or data that runs).
    mutating func warnUnknownPrograms(_ block: NodeBlock) {
        for command in block.commands {
            let first = ImportSource.lines(command.text).first ?? ""
            guard let (word, column) = KnownPrograms.firstWord(of: first), !KnownPrograms.isKnown(word) else {
                continue
            }
            let indent =
                command.location.column - 1
                + (block.lines.first { $0.location == command.location }?.text
                    .prefix { $0 == " " || $0 == "\t" }.count ?? 0)
            warn(
                "'\(word)' is not a program testbed knows; the line runs as written on \(block.node)",
                line: command.location.line, column: column + indent,
                hint: "check the spelling; a block that lists data (a table of interfaces, MACs, addresses) is kept "
                    + "and not run when no line of it starts with a program")
        }
    }
}

extension DataBlock {
    /// Whether a note is a data block as the page wrote it: a system line, then a fenced block of data.
    static func isDataNote(_ lines: [String]) -> Bool {
        guard lines.count >= 3, case .system = PageLine.classify(lines[0]) else { return false }
        var open = 1
        while open < lines.count, PageLine.classify(lines[open]) == .blank { open += 1 }
        guard open < lines.count - 1, case .fence(let marker, let length) = PageLine.classify(lines[open]),
            let close = lines[(open + 1)...].firstIndex(where: {
                PageLine.closesFence($0, marker: marker, length: length)
            }),
            close == lines.count - 1
        else { return false }
        return isData(Array(lines[(open + 1)..<close]))
    }
}
