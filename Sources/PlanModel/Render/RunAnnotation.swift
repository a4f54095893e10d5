/// How a step (or one of its blocks) of a finished run ended, for a page render of the run.
public struct RunAnnotation: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        case passed, failed, skipped
        case notRun = "not-run"

        var text: String { self == .notRun ? "not run" : rawValue }
    }

    public var outcome: Outcome
    public var duration: Duration?
    /// A short explanation (`exit 2 at line 4`); shown on one line.
    public var message: String?
    /// Per block of the step, in order; empty when the step is annotated as a whole only.
    public var blocks: [RunAnnotation]

    public init(outcome: Outcome, duration: Duration? = nil, message: String? = nil, blocks: [RunAnnotation] = []) {
        self.outcome = outcome
        self.duration = duration
        self.message = message
        self.blocks = blocks
    }

    /// `> testbed: failed in 1.20 s — exit 2 at line 4`: a blockquote the page importer skips.
    var line: String {
        var text = "\(PageLine.outcomePrefix) \(outcome.text)"
        if let duration { text += " in \(Self.seconds(duration)) s" }
        if let message {
            var flat = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            if flat.count > 200 { flat = String(flat.prefix(199)) + "…" }
            if !flat.isEmpty { text += " — \(flat)" }
        }
        return text
    }

    /// Seconds with two decimals, without Foundation's formatting.
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let total = max(0, whole * 100 + (attoseconds + 5_000_000_000_000_000) / 10_000_000_000_000_000)
        let hundredths = total % 100
        return "\(total / 100).\(hundredths < 10 ? "0" : "")\(hundredths)"
    }
}
