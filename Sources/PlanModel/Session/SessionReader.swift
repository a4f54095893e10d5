/// The state of one session-file read: the current section's entries, the items so far, the problems found.
struct SessionReader {
    /// What a section holds before it is classified as a service or as commands.
    enum Entry: Hashable {
        case block(SessionBlock, background: Bool, program: String?, firstArgument: String?)
        case sleep(Double, InputLocation)
        case wait(InputLocation)
        case note(SessionNote)
    }

    struct Section {
        var label: String
        var line: Int
        var entries: [Entry] = []
        /// A line of it was refused, so an empty section is no news.
        var refusedLine = false
    }

    let source: SourceText
    let lines: [String]
    let resolver: SystemNameResolver?
    var errors: [InputError] = []
    var preamble: [SessionNote] = []
    var items: [SessionItem] = []
    var section: Section?
    var labels: [String: Int] = [:]
    /// Node → the line of the service already started on it.
    var serviceLines: [String: Int] = [:]

    init(source: SourceText, topology: Topology?) {
        self.source = source
        lines = source.lines.map { line in line.hasSuffix("\r") ? String(line.dropLast()) : String(line) }
        resolver = topology.map(SystemNameResolver.init)
    }

    func location(_ line: Int, column: Int = 1) -> InputLocation { source.location(line: line, column: column) }

    mutating func fail(_ code: InputError.Code, _ message: String, line: Int, column: Int = 1, hint: String) {
        errors.append(source.error(code, message, line: line, column: column, hint: hint))
        section?.refusedLine = true
    }

    mutating func warn(_ message: String, line: Int, column: Int = 1, hint: String) {
        errors.append(source.error(.invalidValue, message, line: line, column: column, hint: hint, severity: .warning))
    }

    mutating func read() {
        var index = 0
        while index < lines.count {
            let number = index + 1
            var logical = lines[index]
            index += 1
            if let label = SessionScriptParser.terminalLabel(logical) {
                open(label, line: number)
                continue
            }
            while logical.hasSuffix("\\"), index < lines.count {
                logical = String(logical.dropLast()) + lines[index]
                index += 1
            }
            index = readLine(logical, number: number, next: index)
        }
        close()
    }

    mutating func open(_ label: String, line: Int) {
        close()
        if let first = labels[label] {
            fail(
                .duplicate, "terminal '\(label)' is opened a second time", line: line,
                hint: "the first 'Terminale \(label):' is on line \(first); give each terminal its own label")
        } else {
            labels[label] = line
        }
        section = Section(label: label, line: line)
    }

    /// One logical line; returns the index of the next line to read (past a heredoc body).
    mutating func readLine(_ text: String, number: Int, next: Int) -> Int {
        let trimmed = SessionScriptParser.blanksTrimmed(Substring(text))
        if trimmed.isEmpty { return next }
        guard section != nil else {
            if trimmed.hasPrefix("ssh ") || trimmed.hasPrefix("cat <<") {
                fail(
                    .syntax, "a command before the first terminal section", line: number,
                    hint: "put it under a 'Terminale X:' line; lines before the first section are only prose")
            } else {
                preamble.append(SessionNote(text: trimmed, location: location(number)))
            }
            return next
        }
        if trimmed.hasPrefix("#") {
            let text = SessionScriptParser.blanksTrimmed(trimmed.drop { $0 == "#" })
            if !text.isEmpty { add(.note(SessionNote(text: text, location: location(number)))) }
            return next
        }
        guard let words = ShellWords.split(text), let first = words.first else {
            fail(.syntax, "this line has unbalanced quotes", line: number, hint: "close the quote")
            return next
        }
        switch first {
        case "sleep": readSleep(words, number: number, text: text)
        case "wait" where words.count == 1: add(.wait(location(number)))
        case "echo": add(.note(SessionNote(text: words.dropFirst().joined(separator: " "), location: location(number))))
        default:
            if let parsed = SSHInvocation.parse(words) {
                return readSSH(parsed, words: words, number: number, next: next)
            }
            fail(
                .syntax, "'\(first)' is not a session command", line: number,
                column: Self.column(of: first, in: text),
                hint: "a session holds ssh NODE cmd one-liners, cat <<EOF | ssh NODE bash heredocs, sleep N and wait")
        }
        return next
    }

    mutating func readSleep(_ words: [String], number: Int, text: String) {
        let argument = words.count == 2 ? words[1] : ""
        let digits = argument.hasSuffix("s") ? String(argument.dropLast()) : argument
        guard let seconds = Double(digits), seconds >= 0, seconds.isFinite else {
            fail(
                .invalidValue, "sleep needs one number of seconds", line: number,
                column: words.count >= 2 ? Self.column(of: words[1], in: text) : 1, hint: "write it as 'sleep 2'")
            return
        }
        add(.sleep(seconds, location(number)))
    }

    mutating func add(_ entry: Entry) { section?.entries.append(entry) }

    /// The 1-based column of a word in a raw line (its first occurrence; 1 when not found).
    static func column(of word: String, in line: String, after start: Int = 0) -> Int {
        let scalars = Array(line.unicodeScalars)
        let target = Array(word.unicodeScalars)
        // `start` can lie past the raw line: words come from the line joined with its `\` continuations.
        let first = max(0, min(start, scalars.count))
        guard !target.isEmpty, first + target.count <= scalars.count else { return 1 }
        for offset in first...(scalars.count - target.count)
        where Array(scalars[offset..<(offset + target.count)]) == target {
            return offset + 1
        }
        return 1
    }
}
