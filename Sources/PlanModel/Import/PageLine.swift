/// What one line of a documentation page is, as far as importing it goes. The importer and the renderer share
/// this classification, so a render never writes prose that would import as something else.
enum PageLine: Sendable, Hashable {
    case blank
    /// An ATX heading: `### <a name="x"></a> Title`.
    case heading(level: Int, text: String, anchor: String?)
    /// The opening line of a fenced code block.
    case fence(marker: Character, length: Int)
    case system(SystemLine)
    /// `<!-- testbed:… -->`.
    case meta
    /// A run outcome a render added (`> testbed: passed in 0.4 s`); imports ignore it.
    case outcome
    case prose

    /// The prefix of the outcome lines a render adds for a finished run.
    static let outcomePrefix = "> testbed:"

    static func classify(_ line: some StringProtocol) -> PageLine {
        let trimmed = line.trimmingLeadingSpaces
        if trimmed.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return .blank }
        let indent = line.prefix { $0 == " " }.count
        if indent <= 3, let heading = heading(trimmed) { return heading }
        if indent <= 3, let fence = fenceOpener(trimmed) { return fence }
        if let system = SystemLine(line) { return .system(system) }
        if PageMeta.looksLikeMeta(trimmed) { return .meta }
        if trimmed.hasPrefix(outcomePrefix) { return .outcome }
        return .prose
    }

    private static func heading(_ trimmed: String) -> PageLine? {
        let hashes = trimmed.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        var rest = trimmed.dropFirst(hashes)
        if let first = rest.first {
            guard first == " " || first == "\t" else { return nil }
        }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        // A carriage return inside a heading would not survive a render (titles are single lines).
        var text = String(rest.replacingOccurrences(of: "\r", with: " ").drop { $0 == " " || $0 == "\t" })
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        // A closing sequence of #s (preceded by a space) is not part of the text.
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let before = text.dropLast(closing)
            if before.isEmpty || before.last == " " || before.last == "\t" {
                text = String(before)
                while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            }
        }
        var anchor: String?
        for attribute in ["name", "id"] {
            for quote in ["\"", "'"] {
                let open = "<a \(attribute)=\(quote)"
                guard text.hasPrefix(open) else { continue }
                let afterOpen = text.dropFirst(open.count)
                guard let end = afterOpen.firstIndex(of: Character(quote)) else { continue }
                let tail = afterOpen[afterOpen.index(after: end)...]
                guard tail.hasPrefix("></a>") else { continue }
                anchor = String(afterOpen[..<end])
                text = String(tail.dropFirst(5).drop { $0 == " " || $0 == "\t" })
            }
        }
        return .heading(level: hashes, text: text, anchor: anchor)
    }

    private static func fenceOpener(_ trimmed: String) -> PageLine? {
        guard let marker = trimmed.first, marker == "`" || marker == "~" else { return nil }
        let length = trimmed.prefix { $0 == marker }.count
        guard length >= 3 else { return nil }
        if marker == "`", trimmed.dropFirst(length).contains("`") { return nil }
        return .fence(marker: marker, length: length)
    }

    /// Whether a line closes a fence opened with `length` times `marker`.
    static func closesFence(_ line: some StringProtocol, marker: Character, length: Int) -> Bool {
        guard line.prefix(while: { $0 == " " }).count <= 3 else { return false }
        let trimmed = line.trimmingLeadingSpaces
        let run = trimmed.prefix { $0 == marker }.count
        return run >= length && trimmed.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
    }

    /// The heading line a render writes.
    static func renderHeading(_ heading: Heading) -> String {
        let level = max(1, min(6, heading.level))
        let anchor = heading.anchor.map { "<a name=\"\($0)\"></a> " } ?? ""
        return String(repeating: "#", count: level) + " " + anchor + heading.text
    }

    /// Whether a prose line, written as it is, would import as prose. Lines that would not get a backslash
    /// in front (`\# not a heading`); the importer takes one backslash off such lines.
    static func needsEscape(_ line: String) -> Bool {
        let core = line.drop { $0 == "\\" }
        switch classify(core) {
        case .prose, .blank: return false
        default: return true
        }
    }
}
