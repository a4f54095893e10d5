/// The first line of a heredoc run in a container: `cat <<EOF | lxc exec NAME bash` or
/// `lxc exec NAME -- bash <<'EOF'`.
struct HeredocStart: Sendable, Hashable {
    var delimiter: String
    /// `<<-EOF`: leading tabs of the body and of the closing line are stripped.
    var stripsTabs: Bool
    /// `<<'EOF'`: the body is not expanded by the local shell.
    var isQuoted: Bool
    var container: String
    /// The program the heredoc feeds (`bash`).
    var program: String?
    /// Words after the program and its options (`|| exit 1`).
    var trailing: [String]

    static let lxcValueOptions: Set<String> = ["--env", "--user", "--group", "--cwd", "--mode", "--project"]

    init?(words: [String], raw: String) {
        guard let here = words.firstIndex(of: "<<"), here + 1 < words.count else { return nil }
        let word = words[here + 1]
        guard !ScriptReader.isOperator(word), !word.hasPrefix("<") else { return nil }
        stripsTabs = word.hasPrefix("-")
        delimiter = stripsTabs ? String(word.dropFirst()) : word
        guard !delimiter.isEmpty else { return nil }
        var afterOperator = raw.firstRange(of: "<<").map { raw[$0.upperBound...] } ?? ""
        if afterOperator.hasPrefix("-") { afterOperator = afterOperator.dropFirst() }
        isQuoted = afterOperator.drop { $0 == " " }.first.map { $0 == "'" || $0 == "\"" || $0 == "\\" } ?? false
        guard let lxc = words.firstIndex(of: "lxc"), lxc + 2 < words.count, words[lxc + 1] == "exec" else {
            return nil
        }
        var index = lxc + 2
        func skipOptions() {
            while index < words.count, words[index].hasPrefix("-"), words[index] != "--" {
                index += Self.lxcValueOptions.contains(words[index]) ? 2 : 1
            }
        }
        skipOptions()
        guard index < words.count else { return nil }
        container = words[index]
        index += 1
        skipOptions()
        if index < words.count, words[index] == "--" { index += 1 }
        program = index < words.count && !ScriptReader.isOperator(words[index]) ? words[index] : nil
        if program != nil { index += 1 }
        while index < words.count, words[index].hasPrefix("-") { index += 1 }
        var rest = Array(words[min(index, words.count)...])
        if let at = rest.firstIndex(of: "<<"), at + 1 < rest.count { rest.removeSubrange(at...(at + 1)) }
        trailing = rest
    }

    var feedsShell: Bool {
        guard let program else { return false }
        return ["bash", "sh", "dash", "ash", "/bin/bash", "/bin/sh", "/usr/bin/bash", "/bin/dash"].contains(program)
    }
}

extension ScriptReader {
    /// The 1-based column of the container name after `lxc exec` in a raw line.
    static func containerColumn(_ name: String, in raw: String) -> Int {
        let scalars = Array(raw.unicodeScalars)
        let target = Array(name.unicodeScalars)
        guard let exec = raw.firstRange(of: "exec") else { return 1 }
        var start = raw.unicodeScalars.distance(from: raw.unicodeScalars.startIndex, to: exec.upperBound)
        while start + target.count <= scalars.count {
            if Array(scalars[start..<start + target.count]) == target { return start + 1 }
            start += 1
        }
        return 1
    }

    mutating func readHeredoc(_ heredoc: HeredocStart, number: Int, next: Int) -> Int {
        var end = next
        while end < lines.count {
            let line = heredoc.stripsTabs ? String(lines[end].drop { $0 == "\t" }) : lines[end]
            if line == heredoc.delimiter { break }
            end += 1
        }
        let raw = lines[number - 1]
        guard end < lines.count else {
            let column =
                raw.firstRange(of: "<<").map {
                    raw.unicodeScalars.distance(from: raw.unicodeScalars.startIndex, to: $0.lowerBound) + 1
                } ?? 1
            errors.append(
                source.error(
                    .unterminated, "the heredoc '\(heredoc.delimiter)' is never closed", line: number, column: column,
                    hint: "end it with a line holding only \(heredoc.delimiter); "
                        + "until then the rest of the script would run in '\(heredoc.container)'"))
            return lines.count
        }
        let column = Self.containerColumn(heredoc.container, in: raw)
        guard heredoc.feedsShell else {
            errors.append(
                source.error(
                    .invalidValue,
                    "this heredoc feeds '\(heredoc.program ?? "nothing")' in '\(heredoc.container)', not a shell",
                    line: number, column: column,
                    hint: "testbed imports heredocs piped into 'lxc exec NAME bash'; write the commands "
                        + "inside a bash heredoc (e.g. with 'tee FILE <<EOF' inside it)"))
            return end + 1
        }
        guard let node = node(forContainer: heredoc.container, number: number, column: column) else { return end + 1 }
        let body = (next..<end).map { ScriptLine(lines[$0], at: location($0 + 1)) }
        if !heredoc.isQuoted, let expanded = body.first(where: { line in line.text.contains { "$`\\".contains($0) } }) {
            let column =
                (expanded.text.unicodeScalars.firstIndex { "$`\\".unicodeScalars.contains($0) }).map {
                    expanded.text.unicodeScalars.distance(from: expanded.text.unicodeScalars.startIndex, to: $0) + 1
                } ?? 1
            warn(
                "the heredoc is not quoted, so the script's own shell expanded '$', '`' and '\\' on this line "
                    + "before lxc ran it; testbed runs the line as written on '\(node)'",
                line: expanded.location.line, column: column,
                hint: "quote the delimiter (<<'\(heredoc.delimiter)') if the line must reach the system as written")
        }
        if !heredoc.trailing.isEmpty, !(heredoc.trailing.first == "||" && heredoc.trailing.dropFirst().first == "exit")
        {
            warn(
                "'\(heredoc.trailing.joined(separator: " "))' after the heredoc's command is not run by testbed",
                line: number, hint: "testbed stops at the first failing command of a block anyway")
        }
        add(
            block: NodeBlock(node: node, lines: body, location: location(number), label: heredoc.container),
            at: location(number))
        return end + 1
    }

    /// `lxc exec NAME [options] [--] COMMAND …` (with `\` continuation lines).
    mutating func readOneLiner(_ physical: [String], number: Int) {
        let raw = physical[0]
        var tokens: [(text: String, offset: Int)] = []
        var current = ""
        var start = 0
        for (offset, scalar) in raw.unicodeScalars.enumerated() {
            if scalar == " " || scalar == "\t" {
                if !current.isEmpty { tokens.append((current, start)) }
                current = ""
            } else {
                if current.isEmpty { start = offset }
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { tokens.append((current, start)) }
        func skipOptions(_ index: inout Int) {
            while index < tokens.count, tokens[index].text.hasPrefix("-"), tokens[index].text != "--" {
                index += HeredocStart.lxcValueOptions.contains(tokens[index].text) ? 2 : 1
            }
        }
        var index = 2
        skipOptions(&index)
        guard index < tokens.count else {
            errors.append(
                source.error(
                    .syntax, "'lxc exec' names no container", line: number,
                    hint: "write 'lxc exec NAME -- COMMAND'"))
            return
        }
        let nameToken = tokens[index]
        let name = ShellWords.split(nameToken.text)?.first ?? nameToken.text
        index += 1
        skipOptions(&index)
        if index < tokens.count, tokens[index].text == "--" { index += 1 }
        guard index < tokens.count else {
            errors.append(
                source.error(
                    .syntax, "'lxc exec \(name)' has no command", line: number,
                    hint: "write 'lxc exec \(name) -- COMMAND'"))
            return
        }
        guard let node = node(forContainer: name, number: number, column: nameToken.offset + 1) else { return }
        let offset = tokens[index].offset
        let first = String(String.UnicodeScalarView(Array(raw.unicodeScalars)[offset...]))
        var lines = [ScriptLine(first, at: location(number, column: offset + 1))]
        for (extra, text) in physical.dropFirst().enumerated() {
            lines.append(ScriptLine(text, at: location(number + 1 + extra)))
        }
        add(block: NodeBlock(node: node, lines: lines, location: location(number), label: name), at: location(number))
    }
}
