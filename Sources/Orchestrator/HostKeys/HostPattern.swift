/// One host pattern of a known_hosts line, with OpenSSH's semantics: `*` matches any run of characters, `?`
/// exactly one, a leading `!` negates, and comparison ignores ASCII case.
struct HostPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern without the `!`, lowercased.
    var pattern: String
    /// Whether the pattern began with `!`: a match then rules the whole line out for that host.
    var isNegated: Bool
    /// Whether the pattern has a `*` or `?`; without one a match is plain equality (no per-call arrays: a 1,000-node
    /// lab's known_hosts is matched a million times while connecting).
    private var hasWildcards: Bool

    /// Parses one comma-separated element of a host list.
    init(_ text: Substring) {
        if text.hasPrefix("!") {
            isNegated = true
            pattern = String(text.dropFirst()).lowercased()
        } else {
            isNegated = false
            pattern = String(text).lowercased()
        }
        hasWildcards = pattern.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
    }

    var description: String { (isNegated ? "!" : "") + pattern }

    /// Whether `name` (already lowercased) matches the pattern, ignoring negation.
    func matches(_ name: String) -> Bool {
        guard hasWildcards else { return pattern.utf8.elementsEqual(name.utf8) }
        return Self.wildcardMatch(Array(pattern.utf8)[...], Array(name.utf8)[...])
    }

    /// How a comma-separated host list judges `name`, as OpenSSH's `match_hostname`: any negated match
    /// excludes the name, otherwise any positive match includes it.
    /// - Returns: true only when some positive pattern matches and no negated one does.
    static func listMatches(_ patterns: [HostPattern], name: String) -> Bool {
        // Lowercasing allocates; a name of lowercase ASCII (the usual alias or address) is its own lowercase.
        let isLowerASCII = name.utf8.allSatisfy { $0 < 0x80 && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        let lowered = isLowerASCII ? name : name.lowercased()
        var positive = false
        for pattern in patterns where pattern.matches(lowered) {
            if pattern.isNegated { return false }
            positive = true
        }
        return positive
    }

    /// Iterative glob match with single-star backtracking: linear in practice, no recursion.
    private static func wildcardMatch(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        let star = UInt8(ascii: "*")
        let question = UInt8(ascii: "?")
        var p = pattern.startIndex
        var t = text.startIndex
        var starAt: Int? = nil
        var textAtStar = text.startIndex
        while t < text.endIndex {
            if p < pattern.endIndex && (pattern[p] == question || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.endIndex && pattern[p] == star {
                starAt = p
                textAtStar = t
                p += 1
            } else if let starIndex = starAt {
                p = starIndex + 1
                textAtStar += 1
                t = textAtStar
            } else {
                return false
            }
        }
        while p < pattern.endIndex && pattern[p] == star { p += 1 }
        return p == pattern.endIndex
    }
}
