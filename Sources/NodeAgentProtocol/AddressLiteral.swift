/// Checks IPv4 and IPv6 address literals as `ping` takes them, without name resolution.
///
/// Only literals pass, so a ping request can never trigger a DNS lookup or carry shell syntax. IPv4 parts
/// with leading zeros are refused because `ping` would read them as octal (`010.0.0.1` is 8.0.0.1).
/// IPv6 may use `::`, an embedded IPv4 tail (`::ffff:192.0.2.1`) and a zone (`fe80::1%eth0`).
public enum AddressLiteral {
    /// Whether `text` is an IPv4 or IPv6 literal.
    public static func isValid(_ text: String) -> Bool {
        isIPv4(Substring(text)) || isIPv6(Substring(text))
    }

    /// Whether `text` is a dotted-quad IPv4 literal such as `192.0.2.1`.
    public static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(part), value <= 255, part.count == 1 || part.first != "0"
            else { return false }
        }
        return true
    }

    /// Whether `text` is an IPv6 literal, optionally with a `%zone` suffix.
    public static func isIPv6(_ text: Substring) -> Bool {
        var address = text
        if let percent = text.firstIndex(of: "%") {
            let zone = text[text.index(after: percent)...]
            guard (1...15).contains(zone.count), zone.allSatisfy(isZoneCharacter) else { return false }
            address = text[..<percent]
        }
        guard address.contains(":") else { return false }
        let halves = splitAtDoubleColon(address)
        guard halves.count <= 2 else { return false }
        var groupCount = 0
        for (index, half) in halves.enumerated() where !half.isEmpty {
            let groups = half.split(separator: ":", omittingEmptySubsequences: false)
            for (position, group) in groups.enumerated() {
                let isLast = index == halves.count - 1 && position == groups.count - 1
                if isLast && group.contains(".") {
                    guard isIPv4(group) else { return false }
                    groupCount += 2
                } else {
                    guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
                    groupCount += 1
                }
            }
        }
        return halves.count == 2 ? groupCount <= 7 : groupCount == 8
    }

    /// Splits at every `::`; more than two pieces means more than one `::`.
    private static func splitAtDoubleColon(_ text: Substring) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == ":", next < text.endIndex, text[next] == ":" {
                pieces.append(text[start..<index])
                start = text.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        pieces.append(text[start...])
        return pieces
    }

    private static func isZoneCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_.-".contains(character))
    }
}
