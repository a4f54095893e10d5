/// How numbers and durations are written in header fields.
enum WireFormat {
    /// Parses a non-negative decimal of 1…`maximumDigits` ASCII digits.
    static func number(_ text: some StringProtocol, maximumDigits: Int) -> Int? {
        guard (1...maximumDigits).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    /// Parses a frame id: 1…20 ASCII digits that fit `UInt64`.
    static func unsigned64(_ text: some StringProtocol) -> UInt64? {
        guard (1...20).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return UInt64(text)
    }

    /// Whole microseconds of a duration, truncated.
    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// Whole milliseconds of a duration, rounded up so a short timeout never becomes zero.
    static func millisecondsRoundingUp(_ duration: Duration) -> Int64 {
        let micro = microseconds(duration)
        return (micro + 999) / 1000
    }

    /// Milliseconds with three decimals, as `ping` prints round trips: 45 µs is `0.045`.
    static func decimalMilliseconds(_ duration: Duration) -> String {
        let micro = max(0, microseconds(duration))
        let fraction = String(micro % 1000)
        return "\(micro / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Parses `ping`'s decimal milliseconds (`0.045`, `12.5`, `3`) to a duration, to the microsecond.
    static func duration(decimalMilliseconds text: some StringProtocol) -> Duration? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = number(parts[0], maximumDigits: 9) else { return nil }
        var micro = whole * 1000
        if parts.count == 2 {
            let fraction = parts[1].prefix(3)
            guard number(parts[1], maximumDigits: 9) != nil, let value = Int(fraction) else { return nil }
            micro += value * [100, 10, 1][fraction.count - 1]
        }
        return .microseconds(micro)
    }
}
