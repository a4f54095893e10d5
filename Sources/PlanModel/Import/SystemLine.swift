/// A page's `**sistema X**` line (also `**system X**`), which names the system that runs the fenced block
/// below it.
///
/// Tolerated spellings: `**sistema 𝛽**`, `**sistema *𝛽***`, `**sistema 𝛽<sub>1</sub>**`, `**sistema** 𝛽`,
/// `**System beta:**`, surrounding spaces. After encoding damage the name may be gone: `**sistema **`.
struct SystemLine: Sendable, Hashable {
    /// The name as written, markup included (`*𝛽*`), trimmed; empty when the name is missing.
    var written: String
    /// The name without markup or subscripts (`𝛽`); empty when missing.
    var name: String
    /// 1-based column (in Unicode scalars) where the written name starts, for carets.
    var column: Int

    /// Recognises a system line; nil for anything else (prose that merely mentions a system included).
    init?(_ line: some StringProtocol) {
        let scalars = Array(line.unicodeScalars)
        var start = 0
        while start < scalars.count, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        var end = scalars.count
        while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        let body = String(String.UnicodeScalarView(scalars[start..<end]))
        guard body.hasPrefix("**"), body.count >= 4 else { return nil }
        var rest = Substring(body.dropFirst(2))
        let lower = rest.lowercased()
        guard let keyword = ["sistema", "system"].first(where: { lower.hasPrefix($0) }) else { return nil }
        rest = rest.dropFirst(keyword.count)
        // The keyword must end here: `**sistemazione**` is prose.
        if let next = rest.unicodeScalars.first, Self.isLetter(next) { return nil }
        var nameText: Substring
        var offset = 2 + keyword.count
        if rest.hasSuffix("**") && !rest.hasPrefix("**") {
            nameText = rest.dropLast(2)
        } else if rest.hasPrefix("**") {
            nameText = rest.dropFirst(2)
            offset += 2
        } else {
            return nil
        }
        let leading = nameText.prefix { $0 == " " || $0 == "\t" }.unicodeScalars.count
        offset += leading
        nameText = nameText.dropFirst(leading)
        while let last = nameText.last, last == " " || last == "\t" { nameText = nameText.dropLast() }
        let written = String(nameText)
        let name = Self.stripMarkup(written)
        guard !name.contains(" "), !name.contains("\t") else { return nil }
        self.written = written
        self.name = name
        self.column = start + offset + 1
    }

    /// `*𝛽*<sub>1</sub>:` → `𝛽`: emphasis, subscripts, superscripts and a trailing colon removed.
    static func stripMarkup(_ text: String) -> String {
        var text = text
        for tag in ["sub", "sup"] {
            while let open = text.firstRange(of: "<\(tag)>") {
                if let close = text[open.upperBound...].firstRange(of: "</\(tag)>") {
                    text.removeSubrange(open.lowerBound..<close.upperBound)
                } else {
                    text.removeSubrange(open.lowerBound..<text.endIndex)
                }
            }
        }
        text = String(text.filter { $0 != "*" && $0 != "_" && $0 != "`" })
        while text.hasSuffix(":") { text.removeLast() }
        return String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic
    }

    /// The system line text for a label, as the renderer writes it.
    static func render(label: String) -> String { "**sistema \(label)**" }
}

/// Resolves system names as pages and scripts write them: node names (any case), aliases, and Greek letters
/// in Mathematical Italic, basic Greek or symbol form (`𝛽`, `β` and `ϐ` all name the node aliased `𝛽`).
struct SystemNameResolver: Sendable {
    let topology: Topology
    private let folded: [String: NodeName]

    init(topology: Topology) {
        self.topology = topology
        var folded: [String: NodeName] = [:]
        for node in topology.nodes.values {
            for name in [node.name.rawValue] + node.aliases {
                let key = GreekLetters.folded(name)
                if folded[key] == nil { folded[key] = node.name }
            }
        }
        self.folded = folded
    }

    /// The topology node a name refers to, or nil.
    func resolve(_ name: String) -> NodeName? {
        if let node = topology.node(named: name) { return node.name }
        return folded[GreekLetters.folded(name)]
    }

    /// The name a render writes for a node: its first alias (the documentation's letter), else its name.
    func preferredLabel(for node: NodeName) -> String {
        topology.nodes[node]?.aliases.first ?? node.rawValue
    }

    /// `alfa (𝛼), beta (𝛽), …` for hints.
    var candidateList: String { describe(Array(topology.nodes.keys)) }

    func describe(_ nodes: [NodeName]) -> String {
        nodes.map { node in
            topology.nodes[node]?.aliases.first.map { "\(node) (\($0))" } ?? node.rawValue
        }.joined(separator: ", ")
    }
}
