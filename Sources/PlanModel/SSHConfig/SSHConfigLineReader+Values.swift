/// Value checks for the directives testbed acts on.
extension SSHConfigLineReader {
    /// The tokens each kind of value may hold (ssh_config(5) TOKENS, less those testbed cannot know).
    static let pathTokens: Set<Character> = ["%", "d", "h", "n", "p", "r", "u"]
    static let commandTokens: Set<Character> = ["%", "h", "n", "p", "r"]

    /// A single argument whose `%` tokens are among `allowed`.
    mutating func token(_ allowed: Set<Character>) -> String? {
        guard let word = single() else { return nil }
        return checkTokens(word, allowed: allowed) ? word.text : nil
    }

    mutating func path() -> String? { token(Self.pathTokens) }

    mutating func flag() -> Bool? {
        guard let word = single() else { return nil }
        switch word.text.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default:
            fail(
                .invalidValue, "\(line.keyword) must be yes or no, not '\(word.text)'", word: word,
                hint: "write yes or no")
            return nil
        }
    }

    mutating func number(range: ClosedRange<Int>, what: String) -> Int? {
        guard let word = single() else { return nil }
        guard let value = Int(word.text), range.contains(value) else {
            fail(
                .invalidValue,
                "\(line.keyword) must be \(what) (\(range.lowerBound)…\(range.upperBound)), not '\(word.text)'",
                word: word, hint: "write a whole number")
            return nil
        }
        return value
    }

    /// OpenSSH's time format: `30`, `30s`, `5m`, `1h30m` (s m h d w, case-insensitive).
    mutating func seconds() -> Int? {
        guard let word = single() else { return nil }
        var total = 0
        var digits = ""
        var isValid = !word.text.isEmpty
        for character in word.text.lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let unit: Int? = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800][character]
            guard let unit, let sum = Self.adding(digits, times: unit, to: total) else {
                isValid = false
                break
            }
            total = sum
            digits = ""
        }
        if isValid, !digits.isEmpty {
            if let sum = Self.adding(digits, times: 1, to: total) { total = sum } else { isValid = false }
        }
        guard isValid, total <= Int(Int32.max) else {
            fail(
                .invalidValue, "\(line.keyword) must be a time, not '\(word.text)'", word: word,
                hint: "write seconds, or a time such as 30s, 5m or 1h30m")
            return nil
        }
        return total
    }

    /// `total + digits × unit`, or nil when the digits are no number or the sum overflows (the caller then refuses
    /// the time instead of trapping or reading a too-long number as nothing).
    static func adding(_ digits: String, times unit: Int, to total: Int) -> Int? {
        guard let value = Int(digits) else { return nil }
        let (product, productOverflows) = value.multipliedReportingOverflow(by: unit)
        let (sum, sumOverflows) = total.addingReportingOverflow(product)
        return productOverflows || sumOverflows ? nil : sum
    }

    mutating func hostKeyChecking() -> SSHHostConfig.HostKeyChecking? {
        guard let word = single() else { return nil }
        switch word.text.lowercased() {
        case "yes", "true": return .strict
        case "accept-new": return .acceptNew
        case "no", "off", "false": return .off
        case "ask": return .ask
        default:
            fail(
                .invalidValue, "StrictHostKeyChecking must be yes, accept-new, no, off or ask, not '\(word.text)'",
                word: word, hint: "write yes (testbed's default) or accept-new")
            return nil
        }
    }

    /// `UserKnownHostsFile` takes several files on one line, or `none`.
    mutating func knownHostsFiles() -> [String]? {
        guard let words = requireArguments() else { return nil }
        if words.count == 1, words[0].text.lowercased() == "none" { return [] }
        guard words.allSatisfy({ checkTokens($0, allowed: Self.pathTokens) }) else { return nil }
        return words.map(\.text)
    }

    /// The rest of the line as written (OpenSSH hands it to the shell as it is), or nil for `none`.
    mutating func proxyCommand() -> String?? {
        guard let first = requireArguments()?.first else { return nil }
        let text = String((source.line(line.lineNumber) ?? "").unicodeScalars.dropFirst(first.column - 1))
        let command = String(text.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
        if command.lowercased() == "none" { return .some(nil) }
        guard checkTokens(SSHConfigLine.Word(text: command, column: first.column), allowed: Self.commandTokens) else {
            return nil
        }
        return .some(command)
    }

    /// Hops separated by commas, each `[user@]host[:port]` or `ssh://[user@]host[:port]`; or `none`.
    mutating func proxyJump() -> [SSHHostConfig.JumpHop]?? {
        guard let word = single() else { return nil }
        if word.text.lowercased() == "none" { return .some(nil) }
        var hops: [SSHHostConfig.JumpHop] = []
        var column = word.column
        for part in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let hop = Self.jumpHop(String(part)) else {
                fail(
                    .invalidValue, "'\(part)' is not a jump host", word: .init(text: String(part), column: column),
                    hint: hint(for: "proxyjump"))
                return nil
            }
            hops.append(hop)
            column += part.unicodeScalars.count + 1
        }
        return .some(hops)
    }

    /// Parses one hop; nil when malformed.
    static func jumpHop(_ text: String) -> SSHHostConfig.JumpHop? {
        var rest = Substring(text)
        if rest.hasPrefix("ssh://") {
            rest = rest.dropFirst(6)
            if rest.hasSuffix("/") { rest = rest.dropLast() }
        }
        var user: String? = nil
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        var host = rest
        var port: Int? = nil
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = rest.firstIndex(of: ":"), rest.lastIndex(of: ":") == colon {
            host = rest[..<colon]
            guard let number = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = number
        }
        if let port, !(1...65535).contains(port) { return nil }
        let hostCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:%")
        guard !host.isEmpty, host.allSatisfy({ hostCharacters.contains($0) }) else { return nil }
        if let user, user.isEmpty || user.contains(where: { $0 == " " || $0 == "/" }) { return nil }
        return SSHHostConfig.JumpHop(user: user, host: String(host), port: port)
    }

    /// Every `%x` of the word is among `allowed`; otherwise an error at the token.
    mutating func checkTokens(_ word: SSHConfigLine.Word, allowed: Set<Character>) -> Bool {
        let characters = Array(word.text)
        var index = 0
        while index < characters.count {
            defer { index += 1 }
            guard characters[index] == "%" else { continue }
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            guard let next, allowed.contains(next) else {
                let shown = next.map { "%\($0)" } ?? "%"
                fail(
                    .invalidValue, "\(line.keyword) uses the token '\(shown)', which testbed does not expand here",
                    word: .init(text: word.text, column: word.column + index),
                    hint: "use only \(allowed.sorted().map { "%\($0)" }.joined(separator: " ")) here, and %% for a "
                        + "literal %")
                return false
            }
            index += 1
        }
        return true
    }
}
