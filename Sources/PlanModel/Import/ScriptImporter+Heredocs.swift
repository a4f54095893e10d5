/// The first line of a heredoc sent to a system: `cat <<EOF | lxc exec NAME bash`, `lxc exec NAME -- bash <<'EOF'`,
/// `cat <<EOF | ssh NAME sudo bash`, `ssh NAME sudo bash -s <<'EOF'`, or a heredoc fed to another command on
/// the system (`cat <<EOF | ssh NAME sudo tee -a FILE`).
struct HeredocStart: Sendable, Hashable {
    var delimiter: String
    /// `<<-EOF`: leading tabs of the body and of the closing line are stripped.
    var stripsTabs: Bool
    /// `<<'EOF'`: the body is not expanded by the local shell.
    var isQuoted: Bool
    var invocation: NodeInvocation
    /// The command the body feeds on the system (for ssh: what the remote shell runs, sudo dropped).
    var commandWords: [String]
    var commandText: String
    /// Words after the command that reaches the system (`|| exit 1`).
    var trailing: [String]
    /// 1-based column of `<<`.
    var operatorColumn: Int
    /// Why a `sudo` of the ssh command cannot be dropped, if one cannot.
    var sudoRefusal: NodeCommandText.SudoRefusal?

    init?(tokens: [ShellToken], raw: String) {
        guard let here = tokens.firstIndex(where: { $0.isOperator && $0.text == "<<" }), here + 1 < tokens.count,
            !tokens[here + 1].isOperator, let (stageNumber, invocation) = NodeInvocation.find(in: tokens)
        else { return nil }
        let word = tokens[here + 1].text
        stripsTabs = word.hasPrefix("-") && !tokens[here + 1].isQuoted
        delimiter = stripsTabs ? String(word.dropFirst()) : word
        guard !delimiter.isEmpty else { return nil }
        isQuoted = tokens[here + 1].isQuoted
        operatorColumn = tokens[here].start + 1
        let stages = NodeInvocation.stages(of: tokens)
        guard let heredocStage = stages.firstIndex(where: { $0.contains(here) }) else { return nil }
        if heredocStage != stageNumber {
            // Only `cat <<EOF | …` may feed the heredoc to the system from the controller.
            let producer = stages[heredocStage].filter { $0 != here && $0 != here + 1 }
            guard heredocStage == stageNumber - 1, heredocStage == 0, producer.count == 1,
                tokens[producer[0]].isWord("cat")
            else { return nil }
        }
        self.invocation = invocation
        let commandTokens = (invocation.commandStart.map { $0..<invocation.stageEnd } ?? 0..<0).filter {
            $0 != here && $0 != here + 1
        }.map { tokens[$0] }
        let rawWords = commandTokens.map { ShellTokenizer.slice(raw, from: $0.start, to: $0.end) }
        trailing = tokens[min(invocation.stageEnd, tokens.count)...].map(\.text)
        switch invocation.transport {
        case .lxc:
            commandWords = commandTokens.map(\.text)
            commandText = rawWords.joined(separator: " ")
        case .ssh:
            // ssh joins its words with spaces; the remote shell splits the result again. What follows the words
            // (`>/dev/null`) applies to ssh on the controller.
            let remote = commandTokens.prefix { !$0.isOperator }.map(\.text).joined(separator: " ")
            switch NodeCommandText.withoutSudo(remote) {
            case .success(let text): commandText = text
            case .failure(let refusal):
                commandText = remote
                sudoRefusal = refusal
            }
            commandWords = ShellWords.split(commandText) ?? []
        }
    }

    var feedsShell: Bool {
        if commandWords.isEmpty { return invocation.transport == .ssh }  // ssh NAME <<EOF: the login shell
        return NodeCommandText.isShell(commandWords)
    }
}

extension ScriptReader {
    mutating func readHeredoc(_ heredoc: HeredocStart, number: Int, next: Int) -> Int {
        var end = next
        while end < lines.count {
            let line = heredoc.stripsTabs ? String(lines[end].drop { $0 == "\t" }) : lines[end]
            if line == heredoc.delimiter { break }
            end += 1
        }
        let name = heredoc.invocation.name
        guard end < lines.count else {
            errors.append(
                source.error(
                    .unterminated, "the heredoc '\(heredoc.delimiter)' is never closed", line: number,
                    column: heredoc.operatorColumn,
                    hint: "end it with a line holding only \(heredoc.delimiter); "
                        + "until then the rest of the script would run in '\(name)'"))
            return lines.count
        }
        let column = heredoc.invocation.nameColumn
        if heredoc.commandWords.isEmpty && heredoc.invocation.transport == .lxc {
            errors.append(
                source.error(
                    .invalidValue, "this heredoc feeds nothing in '\(name)'", line: number, column: column,
                    hint: "write 'cat <<EOF | lxc exec \(name) bash' so a shell on the system reads the lines"))
            return end + 1
        }
        if let refusal = heredoc.sudoRefusal {
            errors.append(sudoError(refusal, name: name, line: number, column: column))
            return end + 1
        }
        guard let node = node(for: heredoc.invocation, number: number) else { return end + 1 }
        var body = (next..<end).map { ScriptLine(lines[$0], at: location($0 + 1)) }
        if heredoc.invocation.transport == .ssh, heredoc.feedsShell {
            for index in body.indices {
                if case .success(let text) = NodeCommandText.withoutSudo(body[index].text) { body[index].text = text }
            }
        }
        if !heredoc.isQuoted, let expanded = body.first(where: { ShellTokenizer.firstExpansion(in: $0.text) != nil }),
            let offset = ShellTokenizer.firstExpansion(in: expanded.text)
        {
            warn(
                "the heredoc is not quoted, so the script's own shell expanded '$', '`' and '\\' on this line "
                    + "before \(heredoc.invocation.transport.rawValue) ran it; testbed runs the line as written on '\(node)'",
                line: expanded.location.line, column: offset + 1,
                hint: "quote the delimiter (<<'\(heredoc.delimiter)') if the line must reach the system as written")
        }
        if !heredoc.trailing.isEmpty, !(heredoc.trailing.first == "||" && heredoc.trailing.dropFirst().first == "exit")
        {
            warn(
                "'\(heredoc.trailing.joined(separator: " "))' after the heredoc's command is not run by testbed",
                line: number, hint: "testbed stops at the first failing command of a block anyway")
        }
        if !heredoc.feedsShell {
            // The body is the command's input: the system gets the heredoc itself, quoted so it arrives as written.
            // A quoted word of the command may span script lines; a plan line never holds a line break.
            let opener = "cat <<\(heredoc.stripsTabs ? "-" : "")'\(heredoc.delimiter)' | \(heredoc.commandText)"
            let openerLines = ImportSource.lines(opener).enumerated().map { offset, line in
                ScriptLine(line, at: location(number + offset, column: offset == 0 ? heredoc.operatorColumn : 1))
            }
            body = openerLines + body + [ScriptLine(lines[end], at: location(end + 1))]
        }
        add(block: NodeBlock(node: node, lines: body, location: location(number), label: name), at: location(number))
        return end + 1
    }

    func sudoError(_ refusal: NodeCommandText.SudoRefusal, name: String, line: Int, column: Int) -> InputError {
        source.error(
            .invalidValue, "'sudo \(refusal.option)' runs the command as someone else on '\(name)'", line: line,
            column: column,
            hint: "testbed runs every command as root through its agent; drop the sudo option or the line")
    }

    /// The node for a container or ssh host name, by name or alias, else by `--assume`; nil after an error.
    mutating func node(for invocation: NodeInvocation, number: Int) -> NodeName? {
        node(
            forName: invocation.name, kind: invocation.transport.nameKind, number: number, column: invocation.nameColumn
        )
    }
}
