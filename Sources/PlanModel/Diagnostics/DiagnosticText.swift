/// Renders diagnostics as text, the one way every error is shown.
public enum DiagnosticText {
    /// One diagnostic: the headline, the source line with a caret, details, cause, hint.
    public static func render(_ diagnostic: Diagnostic) -> String {
        var headline = diagnostic.location.map { "\($0): " } ?? ""
        headline += "\(diagnostic.severity.rawValue): "
        if let subject = diagnostic.subject { headline += "\(subject): " }
        var lines = [headline + diagnostic.message]
        if let sourceLine = diagnostic.sourceLine {
            let shown = printable(sourceLine)
            lines.append("    " + shown)
            lines.append("    " + caretPadding(for: shown, column: diagnostic.location?.column ?? 1) + "^")
        }
        lines += diagnostic.details.map { "  " + $0 }
        if let cause = diagnostic.cause, !cause.isEmpty { lines.append("cause: " + cause) }
        if let hint = diagnostic.hint, !hint.isEmpty { lines.append("hint: " + hint) }
        return lines.joined(separator: "\n")
    }

    /// Several diagnostics, separated by blank lines, with the number of errors when there is more than one.
    public static func render(_ diagnostics: [Diagnostic]) -> String {
        var text = diagnostics.map(render).joined(separator: "\n\n")
        let count = diagnostics.filter { $0.severity == .error }.count
        if count > 1 { text += "\n\n\(count) errors" }
        return text
    }

    /// Control characters would garble a terminal; show them as `\u{..}` escapes.
    static func printable(_ line: String) -> String {
        var out = ""
        for scalar in line.unicodeScalars {
            if scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out
    }

    /// Spaces up to the column, keeping tabs so the caret lines up under tab-indented text.
    static func caretPadding(for line: String, column: Int) -> String {
        var pad = ""
        for (index, scalar) in line.unicodeScalars.enumerated() where index < column - 1 {
            pad += scalar == "\t" ? "\t" : " "
        }
        let missing = column - 1 - line.unicodeScalars.count
        if missing > 0 { pad += String(repeating: " ", count: missing) }
        return pad
    }
}
