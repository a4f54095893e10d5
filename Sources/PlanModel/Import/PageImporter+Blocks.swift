extension PageReader {
    /// A system line and the fenced block after it (blank lines may separate them). Returns the index of the
    /// first line after the block.
    mutating func readSystem(_ system: SystemLine, number: Int, next: Int) -> Int {
        var fenceIndex = next
        while fenceIndex < lines.count, PageLine.classify(lines[fenceIndex]) == .blank { fenceIndex += 1 }
        guard fenceIndex < lines.count, case .fence(let marker, let length) = PageLine.classify(lines[fenceIndex])
        else {
            dropPendingMeta(before: "a system line without a block")
            warn(
                "this system line is not followed by a code block; it is kept as prose and nothing runs",
                line: number, hint: "put the commands in a ``` block right after the line, or remove the line")
            paragraph.append((lines[number - 1], number))
            return next
        }
        var end = fenceIndex + 1
        while end < lines.count, !PageLine.closesFence(lines[end], marker: marker, length: length) { end += 1 }
        guard end < lines.count else {
            errors.append(
                source.error(
                    .unterminated, "the code block of this system is never closed", line: fenceIndex + 1,
                    hint: "end the block with a line of \(String(repeating: marker, count: length)); "
                        + "until then the rest of the page would be run as commands"))
            pendingBlockMeta = nil
            return lines.count
        }
        let blockLines = ((fenceIndex + 1)..<end).map { ScriptLine(lines[$0], at: location($0 + 1)) }
        addBlock(system, number: number, lastLine: end + 1, lines: blockLines)
        return end + 1
    }

    mutating func addBlock(_ system: SystemLine, number: Int, lastLine: Int, lines blockLines: [ScriptLine]) {
        let meta = pendingBlockMeta?.meta
        pendingBlockMeta = nil
        if meta == nil, DataBlock.isData(blockLines.map(\.text)) {
            addData(system, number: number, lastLine: lastLine, lines: blockLines)
            return
        }
        guard let (node, label) = resolveSystem(system, number: number, lastLine: lastLine, lines: blockLines) else {
            return
        }
        let at = location(number)
        var netns: NamespaceName?
        if let text = meta?.value("netns") {
            if let name = NamespaceName(text) {
                netns = name
            } else {
                errors.append(
                    source.error(.invalidValue, NamespaceName.problem(text), line: number - 1, hint: NamespaceName.rule)
                )
            }
        }
        let block = NodeBlock(node: node, netns: netns, lines: blockLines, location: at, label: label)
        if let meta, meta.kind == .expect {
            guard let check = expectCheck(block, meta: meta, metaLine: number - 1) else { return }
            builder.check(.expect(check), at: at)
            return
        }
        if meta == nil, let check = PingBlock.check(node: node, label: label, lines: blockLines) {
            builder.check(.reach(check), at: at)
            return
        }
        if meta?.value("lines") == "generated" {
            if var check = PingBlock.check(node: node, label: label, lines: blockLines) {
                check.originalLines = []
                builder.check(.reach(check), at: at)
                return
            }
            warn(
                "the testbed comment says this block is a ping check, but its lines are not the ping idiom; "
                    + "they run as commands", line: number, hint: "remove lines=\"generated\" from the comment")
        }
        warnUnknownPrograms(block)
        builder.block(block, at: at)
        history.record(block)
    }

    /// The expect check a `<!-- testbed: expect … -->` comment makes of a block; nil after reporting an error
    /// (a status out of range, a pattern that is not a regular expression), so nothing is silently dropped.
    mutating func expectCheck(_ block: NodeBlock, meta: PageMeta, metaLine: Int) -> ExpectCheck? {
        var check = ExpectCheck(block: block)
        if let status = meta.value("status") {
            guard let value = Int32(status), (0...255).contains(value) else {
                errors.append(
                    source.error(
                        .invalidValue, "expect status '\(status)' is not an exit status", line: metaLine,
                        hint: "write a number from 0 to 255"))
                return nil
            }
            check.status = value
        }
        check.stdoutContains = meta.values("contains")
        check.stdoutExcludes = meta.values("excludes")
        if let pattern = meta.value("matches") {
            do {
                _ = try Regex(pattern)
            } catch {
                errors.append(
                    source.error(
                        .invalidValue, "'matches' is not a valid regular expression: \(error)", line: metaLine,
                        hint: "check the brackets and escapes; the syntax is Swift Regex (Perl-like)"))
                return nil
            }
            check.stdoutMatches = pattern
        }
        return check
    }

    /// The node of a system block: by name, else by `--assume`, else by the evidence of its commands.
    mutating func resolveSystem(
        _ system: SystemLine, number: Int, lastLine: Int, lines blockLines: [ScriptLine]
    ) -> (node: NodeName, label: String)? {
        if !system.name.isEmpty, let node = resolver.resolve(system.name) { return (node, system.written) }
        let weighed = inferrer.weigh(blockLines, history: history)
        let at = location(number, column: system.column)
        if let assumed = assumptions.node(forAnyOf: number...max(number, lastLine)) {
            if weighed.hasSupport, !weighed.candidates.contains(assumed.node) {
                warn(
                    "--assume \(assumed.line)=\(assumed.node) goes against the block's commands, which fit "
                        + (weighed.candidates.isEmpty ? "no system" : resolver.describe(weighed.candidates)),
                    line: number, column: system.column,
                    hint: weighed.evidence.map(\.description).joined(separator: "; "))
            }
            inferences.append(
                SystemInference(
                    location: at, written: system.written, node: assumed.node, isAssumed: true,
                    evidence: weighed.evidence))
            return (assumed.node, resolver.preferredLabel(for: assumed.node))
        }
        let missing =
            system.name.isEmpty ? "the system name of this block is missing" : "unknown system '\(system.written)'"
        if weighed.hasSupport, weighed.candidates.count == 1 {
            let node = weighed.candidates[0]
            if !system.name.isEmpty {
                warn(
                    "\(missing); its commands point to \(node), which the import uses", line: number,
                    column: system.column, hint: "write the system as the topology names it: \(resolver.candidateList)")
            }
            inferences.append(
                SystemInference(
                    location: at, written: system.written, node: node, isAssumed: false,
                    evidence: weighed.evidence))
            return (node, resolver.preferredLabel(for: node))
        }
        let reason: String
        let candidates: [NodeName]
        if !weighed.hasSupport {
            reason = "nothing in the block tells which system runs it"
            candidates = weighed.candidates
        } else if weighed.candidates.isEmpty {
            reason = "its commands point to different systems"
            candidates = Array(Set(weighed.evidence.filter { !$0.isAgainst }.flatMap(\.nodes))).sorted()
        } else {
            reason = "its commands fit " + weighed.candidates.joined(separator: " and ")
            candidates = weighed.candidates
        }
        var hint = weighed.evidence.map(\.description).joined(separator: "; ")
        if !hint.isEmpty { hint += "; " }
        hint += "decide with --assume \"\(number)=NODE\"; candidates: \(resolver.describe(candidates))"
        errors.append(
            source.error(.ambiguous, "\(missing), and \(reason)", line: number, column: system.column, hint: hint))
        return nil
    }
}
