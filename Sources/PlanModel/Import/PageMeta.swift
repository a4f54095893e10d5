/// A testbed comment in a page: `<!-- testbed:step id="arc" op="arc" -->`.
///
/// A render writes one only where the page format alone cannot carry what the plan holds (an id that differs
/// from the heading's slug, a step without a heading, a block's namespace, an expect check), so rendered
/// pages read like the documentation and import back into the same plan. Markdown viewers hide them.
///
/// - `testbed:step` starts a step (the heading right after it, if any, belongs to it). Keys: `id`, `title`,
///   `op` (empty: none), `barrier` (`true`), `wait` (seconds: a pause step without blocks).
/// - `testbed:block` applies to the next system block: `netns`; `lines="generated"` marks a ping check whose
///   lines the render wrote (the plan had none). Any `testbed:block` keeps a block of commands from being
///   read as a ping check or as data.
/// - `testbed:expect` makes the next system block an expect check: `status`, `contains`, `excludes`
///   (repeatable), `matches`, `netns`.
struct PageMeta: Sendable, Hashable {
    enum Kind: String, Sendable, Hashable, CaseIterable {
        case step, block, expect
    }

    struct Field: Sendable, Hashable {
        var key: String
        var value: String
    }

    enum Parsed: Sendable, Hashable {
        case notMeta
        case meta(PageMeta)
        case malformed(reason: String)
    }

    var kind: Kind
    var fields: [Field]

    init(kind: Kind, fields: [Field] = []) {
        self.kind = kind
        self.fields = fields
    }

    func value(_ key: String) -> String? { fields.first { $0.key == key }?.value }
    func values(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }

    static let prefix = "<!-- testbed:"

    /// Whether a line is meant as a testbed comment (well-formed or not).
    static func looksLikeMeta(_ line: some StringProtocol) -> Bool {
        line.trimmingLeadingSpaces.hasPrefix(prefix)
    }

    static func parse(_ line: some StringProtocol) -> Parsed {
        let trimmed = line.trimmingLeadingSpaces
        guard trimmed.hasPrefix(prefix) else { return .notMeta }
        var body = Substring(trimmed.dropFirst(prefix.count))
        while let last = body.last, last == " " || last == "\t" { body = body.dropLast() }
        guard body.hasSuffix("-->") else {
            return .malformed(reason: "the comment does not end with '-->' on its line")
        }
        body = body.dropLast(3)
        let kindText = body.prefix { $0 != " " && $0 != "\t" }
        guard let kind = Kind(rawValue: String(kindText)) else {
            return .malformed(reason: "unknown testbed comment '\(kindText)'")
        }
        var scalars = Array(body.dropFirst(kindText.count).unicodeScalars)[...]
        var fields: [Field] = []
        while true {
            while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
            guard !scalars.isEmpty else { break }
            let key = String(String.UnicodeScalarView(scalars.prefix { $0 != "=" && $0 != " " }))
            scalars = scalars.dropFirst(key.unicodeScalars.count)
            guard !key.isEmpty, scalars.first == "=", scalars.dropFirst().first == "\"" else {
                return .malformed(reason: "expected key=\"value\" pairs")
            }
            scalars = scalars.dropFirst(2)
            var value = String.UnicodeScalarView()
            var closed = false
            while let scalar = scalars.first {
                scalars = scalars.dropFirst()
                if scalar == "\"" {
                    closed = true
                    break
                }
                guard scalar == "\\" else {
                    value.append(scalar)
                    continue
                }
                guard let escaped = scalars.first else { return .malformed(reason: "a value ends with '\\'") }
                scalars = scalars.dropFirst()
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\", "\"": value.append(escaped)
                case "u":
                    guard scalars.first == "{", let end = scalars.firstIndex(of: "}"),
                        let code = UInt32(
                            String(String.UnicodeScalarView(scalars[(scalars.startIndex + 1)..<end])), radix: 16),
                        let decoded = Unicode.Scalar(code)
                    else { return .malformed(reason: "bad \\u{…} escape") }
                    value.append(decoded)
                    scalars = scalars[(end + 1)...]
                default: return .malformed(reason: "unknown escape '\\\(escaped)'")
                }
            }
            guard closed else { return .malformed(reason: "a value is not closed with '\"'") }
            fields.append(Field(key: key, value: String(value)))
        }
        return .meta(PageMeta(kind: kind, fields: fields))
    }

    /// The comment line.
    var rendered: String {
        var text = Self.prefix + kind.rawValue
        for field in fields { text += " \(field.key)=\"\(Self.escape(field.value))\"" }
        return text + " -->"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "<", ">": out += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
