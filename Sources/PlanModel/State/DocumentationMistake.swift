/// A line of a page that needs state no plausible prior state can give: the documentation's own mistake
/// (a `change` of a route in a namespace the page just created and never filled, a gateway whose link route
/// the page never made). `replay` refuses the page with it; `replay --repair` adds `repair` right before the line.
public struct DocumentationMistake: Sendable, Hashable, Codable {
    public var node: NodeName
    public var step: String
    public var command: String
    public var location: InputLocation
    /// What the line assumes, in words: `route 10.0.0.20/31 in table 250 of netns migr01`.
    public var assumes: String
    /// Why no prior state can provide it.
    public var reason: String
    /// The commands that make the line work at that point in time; nil when nothing sensible can.
    public var repair: [String]?

    public init(
        node: NodeName, step: String, command: String, location: InputLocation, assumes: String, reason: String,
        repair: [String]?
    ) {
        self.node = node
        self.step = step
        self.command = command
        self.location = location
        self.assumes = assumes
        self.reason = reason
        self.repair = repair
    }

    public static let code = InputError.Code("documentation-mistake")

    /// The message of the error `replay` reports.
    public var message: String {
        let shown = command.split(separator: "\n").first.map(String.init) ?? command
        return "the page's mistake on \(node): `\(shown)` assumes \(assumes), which is missing when the line runs; "
            + "no prior state can provide it: \(reason)"
    }

    public var hint: String {
        guard let repair else {
            return "nothing sensible can stand in for it, so the page itself must be fixed (even --repair stops here)"
        }
        return "fix the page, or let replay --repair add `\(repair.joined(separator: "; "))` right before this line"
    }

    /// As an error at the page line, quoting it from `source` when given.
    public func inputError(source: SourceText?) -> InputError {
        let line = source?.line(location.line) ?? command.split(separator: "\n").first.map(String.init)
        let column = source == nil ? 1 : location.column
        return InputError(
            Self.code, message, at: InputLocation(file: location.file, line: location.line, column: column), hint: hint,
            sourceLine: line)
    }

    /// The report line of a repair that `--repair` made.
    public var repairSummary: String {
        "\(location.fileAndLine): \(node): added \(repair.map { "`\($0.joined(separator: "; "))`" } ?? "nothing") "
            + "before `\(command.split(separator: "\n").first ?? "")` (it assumes \(assumes); \(reason))"
    }
}

/// A line of a page with a placeholder instead of a value (`ip route add <LL_B> dev <devA> src <LL_A>`): the
/// page is a template of an operation, not a replayable sequence.
public struct TemplateLine: Sendable, Hashable, Codable {
    public var node: NodeName
    public var command: String
    public var location: InputLocation
    public var placeholder: String

    public init(node: NodeName, command: String, location: InputLocation, placeholder: String) {
        self.node = node
        self.command = command
        self.location = location
        self.placeholder = placeholder
    }

    public func inputError(source: SourceText?) -> InputError {
        InputError(
            InputError.Code("template"),
            "the page is a template: `\(placeholder)` on \(node) stands for a value the page does not give",
            at: location, hint: "replay runs pages with real values; fill in the placeholders first",
            sourceLine: source?.line(location.line) ?? command)
    }

    /// The placeholders of every block command of a plan.
    static func find(in plan: Plan) -> [TemplateLine] {
        var found: [TemplateLine] = []
        for step in plan.steps {
            for block in step.blocks {
                for command in block.commands {
                    if let placeholder = placeholder(in: command.text) {
                        found.append(
                            TemplateLine(
                                node: block.node, command: command.text, location: command.location,
                                placeholder: placeholder))
                    }
                }
            }
        }
        return found
    }

    /// `<name>`, `{NAME}` or `…` outside quotes.
    static func placeholder(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var inSingle = false
        var inDouble = false
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            defer { index += 1 }
            if scalar == "'" && !inDouble { inSingle.toggle() }
            if scalar == "\"" && !inSingle { inDouble.toggle() }
            guard !inSingle && !inDouble else { continue }
            if scalar == "…" { return "…" }
            guard scalar == "<" || scalar == "{", index + 2 < scalars.count, index == 0 || scalars[index - 1] != "$"
            else { continue }
            let close: Unicode.Scalar = scalar == "<" ? ">" : "}"
            guard let end = scalars[(index + 1)...].firstIndex(of: close), end > index + 1 else { continue }
            let name = scalars[(index + 1)..<end]
            let isName =
                name.first.map { Names.isASCIIAlphanumeric($0) && !("0"..."9").contains($0) } == true
                && name.allSatisfy { Names.isASCIIAlphanumeric($0) || "_-:|".unicodeScalars.contains($0) }
            if isName, scalar == "<" || name.allSatisfy({ ("A"..."Z").contains($0) || $0 == "_" }) {
                return String(String.UnicodeScalarView(scalars[index...end]))
            }
        }
        return nil
    }
}
