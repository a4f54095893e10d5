/// The one way the CLI and `testbed run` read a plan source: a YAML plan, a scenario, a documentation page or a
/// replay script, told apart by extension and content.
public enum PlanSource {
    /// The formats a plan source can be in.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case yaml, scenario, page, script, session
    }

    /// Reads and imports the source at `path`.
    /// - Parameters:
    ///   - assumptions: source line → system, for blocks whose system cannot be told (`--assume LINE=NODE`).
    /// - Throws: `InputErrors` when the file cannot be read or has errors (warnings come along).
    ///   - parameters: Values for `${NAME}` in the text (see `PlanParameters`), checked before they are put in.
    ///   - scenarios: The compiler of scenario files; without one a scenario is refused.
    public static func load(
        path: String, topology: Topology, assumptions: [Int: String] = [:], parameters: [String: String] = [:],
        scenarios: (any ScenarioCompiling)? = nil, session: SessionImporter.Options = .init()
    ) throws(InputErrors) -> ImportResult {
        try parse(
            text: InputFile.text(at: path), path: path, topology: topology, assumptions: assumptions,
            parameters: parameters, scenarios: scenarios, session: session)
    }

    /// Imports source text that came from `path`, in `format` or the one `format(path:text:)` finds.
    /// - Throws: `InputErrors` with every error (and the warnings) found.
    public static func parse(
        text: String, path: String, topology: Topology, assumptions: [Int: String] = [:], format: Format? = nil,
        parameters: [String: String] = [:], scenarios: (any ScenarioCompiling)? = nil,
        session: SessionImporter.Options = .init()
    ) throws(InputErrors) -> ImportResult {
        let format = format ?? Self.format(path: path, text: text)
        let text = try PlanParameters.apply(parameters, to: text, path: path)
        switch format {
        case .yaml:
            let plan = try PlanLoader.parse(text: text, path: path, topology: topology, scenarios: scenarios)
            return ImportResult(plan: plan, report: ImportReport(plan: plan))
        case .scenario:
            guard let scenarios else {
                let source = SourceText(path: path, text: text)
                throw InputErrors([
                    source.error(
                        .wrongType, "a scenario is compiled, not read as a plan", line: scenarioLine(text) ?? 1,
                        hint: "run, check, render or compile it with testbed, which compiles scenarios first")
                ])
            }
            return try scenarios.compile(text: text, path: path, topology: topology)
        case .page:
            return try PageImporter.parse(text: text, path: path, topology: topology, assumptions: assumptions)
        case .script:
            return try ScriptImporter.parse(text: text, path: path, topology: topology, assumptions: assumptions)
        case .session:
            return try SessionImporter.parse(text: text, path: path, topology: topology, options: session)
        }
    }

    /// `.yaml`/`.yml` are YAML plans — or scenarios, when they have a top-level `scenario:` key —, `.md`/`.markdown`
    /// pages, `.sh`/`.bash` scripts. Other files are told by their content: a `Terminale X:` line and an `ssh`
    /// line make a session file; a bash shebang, `lxc exec` or `ssh NAME sudo` lines a script; Markdown headings
    /// or `**sistema X**` lines a page; a top-level `scenario:` key a scenario; a top-level `steps:` key a YAML plan.
    public static func format(path: String, text: String) -> Format {
        let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return scenarioLine(text) == nil ? .yaml : .scenario }
        if name.hasSuffix(".md") || name.hasSuffix(".markdown") { return .page }
        if name.hasSuffix(".sh") || name.hasSuffix(".bash") { return .script }
        let lines = ImportSource.lines(text)
        if isSession(lines) { return .session }
        if let first = lines.first, first.hasPrefix("#!"), first.contains("sh") { return .script }
        // Before the page test: a scenario's leading `# comment` would read as a Markdown heading.
        if scenarioLine(text) != nil { return .scenario }
        var looksLikePage = false
        for line in lines {
            let trimmed = line.trimmingLeadingSpaces
            if trimmed.hasPrefix("lxc exec ") || (trimmed.contains("| lxc exec ") && trimmed.contains("<<"))
                || (trimmed.hasPrefix("ssh ") && trimmed.contains(" sudo "))
                || (trimmed.contains("| ssh ") && trimmed.contains("<<"))
            {
                return .script
            }
            switch PageLine.classify(line) {
            case .system, .fence: looksLikePage = true
            case .heading where !trimmed.hasPrefix("###"): looksLikePage = true
            default: break
            }
        }
        if looksLikePage { return .page }
        if lines.contains(where: { $0.hasPrefix("steps:") }) { return .yaml }
        return .page
    }

    /// A session file's shape: a terminal section (`Terminale 1:`) and at least one line running `ssh`.
    static func isSession(_ lines: [String]) -> Bool {
        lines.contains { SessionScriptParser.terminalLabel($0) != nil }
            && lines.contains { line in
                let trimmed = line.trimmingLeadingSpaces
                return trimmed.hasPrefix("ssh ") || (trimmed.contains("| ssh ") && trimmed.contains("<<"))
            }
    }

    /// The line (1-based) of a top-level `scenario:` key, if the text has one.
    static func scenarioLine(_ text: String) -> Int? {
        ImportSource.lines(text).firstIndex {
            $0 == "scenario:" || $0.hasPrefix("scenario: ") || $0.hasPrefix("scenario:#")
        }
        .map { $0 + 1 }
    }
}
