import Foundation

/// Text made safe for the report page, which is both HTML and well-formed XML (so a test can parse it
/// strictly): the five XML escapes, and characters XML 1.0 cannot carry dropped.
public enum HTMLText {
    static func escape(_ text: String) -> String { JUnitWriter.escape(text) }

    /// JSON for a `<script type="application/json">` element: `<`, `>` and `&` as `\u` escapes, so the
    /// text can neither end the element nor break the XML parse.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return text.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }

    /// `1.2 ms`, `3.40 s`, `2 min 5 s`.
    static func seconds(_ value: Double) -> String {
        if value < 1 { return String(format: "%.1f ms", value * 1000) }
        if value < 120 { return String(format: "%.2f s", value) }
        return "\(Int(value) / 60) min \(Int(value) % 60) s"
    }

    /// A link from a page at `page` to `target` (both absolute paths), as a relative URL that works from
    /// `file://`: path components percent-encoded, `..` for each directory climbed.
    public static func relativeLink(from page: String, to target: String) -> String {
        let from = URL(fileURLWithPath: page).deletingLastPathComponent().standardizedFileURL.pathComponents
        let to = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let parts = Array(repeating: "..", count: from.count - common) + to[common...]
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
        return parts.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
    }
}
