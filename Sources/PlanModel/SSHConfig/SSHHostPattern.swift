/// OpenSSH's host patterns: `*` matches any run of characters, `?` one character, a leading `!` negates, and
/// matching ignores case. A list matches when some positive pattern matches and no negated one does, so
/// `Host *.lab !gw.lab` covers every lab host but the gateway.
public struct SSHHostPattern: Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var isNegated: Bool

    /// Reads one pattern, with its optional `!`.
    public init(_ text: String) {
        if text.hasPrefix("!") {
            isNegated = true
            pattern = String(text.dropFirst())
        } else {
            isNegated = false
            pattern = text
        }
    }

    public var description: String { (isNegated ? "!" : "") + pattern }

    /// Whether `host` matches the pattern itself (the negation is the list's business).
    public func matchesIgnoringNegation(_ host: String) -> Bool {
        Self.wildcardMatch(Array(pattern.lowercased().unicodeScalars), Array(host.lowercased().unicodeScalars))
    }

    /// Whether a list of patterns selects `host`.
    public static func listMatches(_ patterns: [SSHHostPattern], _ host: String) -> Bool {
        var matched = false
        for pattern in patterns where pattern.matchesIgnoringNegation(host) {
            if pattern.isNegated { return false }
            matched = true
        }
        return matched
    }

    /// `*` and `?` matching of a whole string, iteratively with one backtrack point (linear in practice).
    static func wildcardMatch(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0
        var t = 0
        var star: Int? = nil
        var starText = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                starText = t
                p += 1
            } else if let star {
                p = star + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
