extension ScriptReader {
    /// `lxc exec NAME [options] [--] COMMAND …` or `ssh [options] NAME [sudo] COMMAND …` (with `\` continuation
    /// lines), possibly fed by a producer on the controller: `(echo; echo "…") | ssh NAME sudo tee -a FILE`.
    mutating func readOneLiner(
        _ invocation: NodeInvocation, stage: Int, tokens: [ShellToken], logical: String, number: Int
    ) {
        let name = invocation.name
        guard let commandStart = invocation.commandStart else {
            let form = invocation.transport == .lxc ? "lxc exec \(name) -- COMMAND" : "ssh \(name) sudo COMMAND"
            errors.append(
                source.error(
                    .syntax, "'\(invocation.transport == .lxc ? "lxc exec" : "ssh") \(name)' has no command",
                    line: number, column: invocation.nameColumn,
                    hint: "write '\(form)'; a session without a command would be interactive"))
            return
        }
        let commandColumn = tokens[commandStart].start + 1
        guard var text = systemText(invocation, tokens: tokens, logical: logical, number: number) else { return }
        var firstColumn = commandColumn
        if stage > 0 {
            let pipe = tokens[NodeInvocation.stages(of: tokens)[stage].lowerBound - 1]
            let producer = ShellTokenizer.slice(logical, from: 0, to: pipe.start).trimmingTrailingBlanks
            if let reason = LocalProducer.refusal(producer) {
                errors.append(
                    source.error(
                        .invalidValue,
                        "the producer '\(producer)' piped into '\(name)' runs on the controller, and \(reason)",
                        line: number,
                        hint: "testbed runs the whole pipeline on the system; write the input with echo or printf "
                            + "of literal words, or as a heredoc: cat <<'EOF' | … (the lines) … EOF"))
                return
            }
            text = producer + " | " + text
            firstColumn = 1
        } else if let script = NodeCommandText.shellScript(of: text) {
            text = script
        }
        guard let node = node(for: invocation, number: number) else { return }
        let lines = ImportSource.lines(text).enumerated().map { offset, line in
            ScriptLine(line, at: location(number + offset, column: offset == 0 ? firstColumn : 1))
        }
        add(block: NodeBlock(node: node, lines: lines, location: location(number), label: name), at: location(number))
    }

    /// What the system runs, as text: for `lxc exec` the line from the command on, as written; for ssh what the
    /// remote shell gets (a single quoted command unquoted, `sudo` dropped). Nil after an error.
    mutating func systemText(_ invocation: NodeInvocation, tokens: [ShellToken], logical: String, number: Int)
        -> String?
    {
        guard let commandStart = invocation.commandStart else { return nil }
        let tail = ShellTokenizer.slice(logical, from: tokens[commandStart].start)
        guard invocation.transport == .ssh else { return tail }
        let remote = tokens[commandStart..<invocation.stageEnd].prefix { !$0.isOperator }
        var text = tail
        if remote.count == 1, let word = remote.first, word.isQuoted {
            text = word.text + ShellTokenizer.slice(logical, from: word.end)
        } else {
            let joined = remote.map(\.text).joined(separator: " ")
            if let resplit = ShellWords.split(joined), resplit != remote.map(\.text) {
                warn(
                    "ssh joins its words with spaces and the remote shell splits them again, so this line's quotes "
                        + "do not reach '\(invocation.name)' (it would run '\(joined)'); testbed runs the command as "
                        + "the quotes say", line: number, column: tokens[commandStart].start + 1,
                    hint: "quote the whole remote command once, as in: ssh \(invocation.name) \"sudo bash -c 'A; B'\"")
            }
        }
        switch NodeCommandText.withoutSudo(text) {
        case .success(let stripped): return stripped
        case .failure(let refusal):
            errors.append(sudoError(refusal, name: invocation.name, line: number, column: invocation.nameColumn))
            return nil
        }
    }
}

extension String {
    var trimmingTrailingBlanks: String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
