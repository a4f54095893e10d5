extension SessionReader {
    static let shells: Set<String> = ["bash", "sh", "dash", "/bin/bash", "/bin/sh", "/usr/bin/bash", "/bin/dash"]

    /// An `ssh` line: a one-liner, or the start of a heredoc whose body follows. Returns the next line to read.
    mutating func readSSH(
        _ parsed: Result<SSHInvocation, SSHInvocation.Problem>, words: [String], number: Int, next: Int
    ) -> Int {
        let text = lines[number - 1]
        let ssh: SSHInvocation
        switch parsed {
        case .success(let value): ssh = value
        case .failure(.noTarget):
            fail(
                .syntax, "ssh without a node to connect to", line: number, column: Self.column(of: "ssh", in: text),
                hint: "write ssh NODE cmd …")
            return next
        case .failure(.localOperator(let word)):
            fail(
                .syntax, "'\(word)' after the remote command would run on this machine, not on the node",
                line: number, column: Self.column(of: word, in: text, after: Self.column(of: "ssh", in: text)),
                hint: "quote the whole remote command: ssh NODE 'a \(word) b'")
            return next
        }
        let sshColumn = Self.column(of: "ssh", in: text)
        let targetColumn = Self.column(of: words[ssh.targetWord], in: text, after: sshColumn + 2)
        if words.first != "ssh", ssh.heredocDelimiter == nil {
            fail(
                .syntax, "only a heredoc may feed ssh", line: number,
                hint: "use cat <<EOF | ssh NODE bash, or run the whole pipeline on the node: ssh NODE 'a | b'")
            return next
        }
        let node = resolve(ssh.node, line: number, column: targetColumn)
        if let delimiter = ssh.heredocDelimiter {
            return readHeredoc(ssh, delimiter: delimiter, node: node, number: number, next: next)
        }
        guard !ssh.remote.isEmpty else {
            fail(
                .invalidValue, "ssh \(ssh.node) without a command would open an interactive shell", line: number,
                column: targetColumn, hint: "give the command after the node, or feed a heredoc to ssh NODE bash")
            return next
        }
        let line = SessionLine(text: ssh.command, location: location(number, column: targetColumn))
        let block = SessionBlock(
            terminal: section?.label ?? "", node: node ?? ssh.node, form: .oneLiner, lines: [line],
            location: location(number, column: sshColumn))
        if node != nil {
            add(.block(block, background: ssh.background, program: ssh.program, firstArgument: ssh.arguments.first))
        }
        return next
    }

    mutating func readHeredoc(
        _ ssh: SSHInvocation, delimiter: String, node: String?, number: Int, next: Int
    ) -> Int {
        let text = lines[number - 1]
        if !(ssh.remote.count == 1 && Self.shells.contains(ssh.remote[0])) {
            let shown = ssh.remote.isEmpty ? "nothing" : "'\(ssh.command)'"
            fail(
                .invalidValue, "the heredoc feeds \(shown), not a shell", line: number,
                column: Self.column(of: "ssh", in: text), hint: "feed it to a shell: cat <<EOF | ssh NODE bash")
        }
        var body: [SessionLine] = []
        var index = next
        while index < lines.count {
            var line = lines[index]
            if ssh.stripsTabs { line = String(line.drop { $0 == "\t" }) }
            if line == delimiter {
                let block = SessionBlock(
                    terminal: section?.label ?? "", node: node ?? ssh.node, form: .heredoc, lines: body,
                    location: location(number, column: Self.column(of: "cat", in: text)))
                if node != nil {
                    add(.block(block, background: ssh.background, program: nil, firstArgument: nil))
                }
                return index + 1
            }
            if !line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                body.append(SessionLine(text: line, location: location(index + 1)))
            }
            index += 1
        }
        fail(
            .unterminated, "the heredoc opened here never ends", line: number,
            column: Self.column(of: "<<", in: text), hint: "end it with a line holding only \(delimiter)")
        return lines.count
    }

    /// The topology node a target names; without a topology the target itself. Nil after reporting an error.
    mutating func resolve(_ target: String, line: Int, column: Int) -> String? {
        guard let resolver else { return target }
        if let node = resolver.resolve(target) { return node.rawValue }
        fail(
            .unknownReference, "ssh target '\(target)' is not a node of the topology", line: line, column: column,
            hint: "nodes: \(resolver.candidateList)")
        return nil
    }
}
