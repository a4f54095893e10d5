/// A `sed` basic regular expression as used in `sed -i '/PATTERN/d' FILE`.
///
/// Translated to a Swift regular expression: `.`, `*`, `^`, `$`, `[…]` and `\(…\)`, `\{…\}` keep their BRE
/// meaning; every other character is literal (so `+`, `?`, `|`, `(`, `{` match themselves, as in BRE).
public struct SedPattern: Sendable, Hashable, Codable, CustomStringConvertible {
    public let source: String
    private let translated: String
    /// The pattern when it has no BRE metacharacter (as the documented `xxx_table_ntk_from_…_xxx` patterns):
    /// matching is then a substring test, with no regex to compile.
    private let literal: String?

    /// Nil when the pattern cannot be translated (unbalanced brackets).
    public init?(_ source: String) {
        self.source = source
        var out = ""
        var characters = Array(source)
        var index = 0
        var inBracket = false
        while index < characters.count {
            let character = characters[index]
            if inBracket {
                if character == "]" { inBracket = false }
                if character == "\\"
                    || character == "[" && !(index + 1 < characters.count && characters[index + 1] == ":")
                {
                    out += "\\"
                }
                out.append(character)
                index += 1
                continue
            }
            switch character {
            case "\\":
                guard index + 1 < characters.count else { return nil }
                let next = characters[index + 1]
                switch next {
                case "(", ")", "{", "}": out.append(next)
                case "n": out += "\\n"
                default: out += "\\" + String(next)
                }
                index += 2
                continue
            case "[":
                inBracket = true
                out.append("[")
                if index + 1 < characters.count && characters[index + 1] == "^" {
                    out.append("^")
                    index += 1
                }
                if index + 1 < characters.count && characters[index + 1] == "]" {
                    out += "\\]"
                    index += 1
                }
            case ".", "*", "^", "$": out.append(character)
            default:
                if "+?|(){}".contains(character) { out += "\\" }
                out.append(character)
            }
            index += 1
        }
        if inBracket { return nil }
        characters = []
        self.translated = out
        self.literal = source.contains(where: { ".*^$[\\".contains($0) }) ? nil : source
        if literal == nil, (try? Regex(out)) == nil { return nil }
    }

    /// Whether sed's address selects this line.
    public func matches(_ line: String) -> Bool { makeMatcher()(line) }

    /// A test of lines against the pattern, compiled once (for applying it to a whole file).
    public func makeMatcher() -> (String) -> Bool {
        if let literal { return { $0.contains(literal) } }
        guard let regex = try? Regex(translated) else { return { _ in false } }
        return { $0.contains(regex) }
    }

    public var description: String { "/\(source)/" }

    public static func == (lhs: SedPattern, rhs: SedPattern) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = SedPattern(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad pattern"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}
