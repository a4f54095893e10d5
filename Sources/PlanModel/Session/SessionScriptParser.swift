/// Reads an interactive session file (see `SessionScript`) into located items.
///
/// The grammar, line by line:
/// - `Terminale LABEL:` or `Terminal LABEL:` opens a terminal section (labels are unique).
/// - A section whose only command is a plain `ssh NODE cmd …` one-liner starts a **service** on NODE: the program
///   the author left running in that terminal. Any other section holds **commands**.
/// - In a commands section: `ssh NODE cmd …` one-liners and `cat <<EOF | ssh NODE bash` (or `ssh NODE bash <<EOF`)
///   heredocs are blocks; a trailing `&` makes consecutive blocks one group started together, which a `wait` line
///   may close; `sleep N` is a wait; `echo …` and `# …` are notes; the `show_*` one-liners that end a section are
///   output checks.
/// - Lines before the first section are a preamble (title, prose). Backslash continuations are joined.
///
/// Every problem is reported at once, located, as `InputErrors`; with a topology, nodes must be known to it (names or
/// aliases) and are reported by their topology name.
public enum SessionScriptParser {
    public static func parse(text: String, path: String, topology: Topology? = nil) throws(InputErrors) -> SessionScript
    {
        var reader = SessionReader(source: SourceText(path: path, text: text), topology: topology)
        reader.read()
        if reader.errors.contains(where: { $0.severity == .error }) { throw InputErrors(reader.errors) }
        return SessionScript(
            path: path, preamble: reader.preamble, items: reader.items, warnings: InputErrors(reader.errors).errors)
    }

    /// `Terminale 1:` → `1`; nil for any other line.
    static func terminalLabel(_ line: String) -> String? {
        let text = Substring(blanksTrimmed(Substring(line)))
        guard text.hasSuffix(":") else { return nil }
        let lowered = text.lowercased()
        for keyword in ["terminale ", "terminal ", "terminale\t", "terminal\t"] where lowered.hasPrefix(keyword) {
            let label = blanksTrimmed(text.dropFirst(keyword.count).dropLast())
            return label.isEmpty ? nil : label
        }
        return nil
    }

    /// The text without leading and trailing spaces and tabs.
    static func blanksTrimmed(_ text: Substring) -> String {
        var text = text
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" || text.last == "\r" { text.removeLast() }
        return String(text)
    }
}
