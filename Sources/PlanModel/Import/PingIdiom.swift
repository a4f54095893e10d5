/// The author's ping check, one address per line:
///
/// ```
/// ping -q -n -c 1 10.0.0.22 -W 1 &>/dev/null || (echo "alfa: no answer from 10.0.0.22"; exit 1)
/// ```
///
/// Also with `-W` before the address, `> /dev/null 2>&1`, an `ip netns exec NS` prefix, and inverted
/// (`&& (echo …; exit 1)`: the address must *not* answer). Without the failing `(echo …; exit N)` clause a
/// ping is an ordinary command.
struct PingIdiom: Sendable, Hashable {
    var netns: NamespaceName?
    var target: IPAddress
    var count: Int
    var timeoutMilliseconds: Int
    var expectation: ReachCheck.Expectation

    /// Parses one line; nil when it is not the idiom.
    init?(_ line: some StringProtocol) {
        guard var words = ShellWords.split(line)?[...], !words.isEmpty else { return nil }
        var netns: NamespaceName?
        if words.count > 4, words[words.startIndex] == "ip", words[words.startIndex + 1] == "netns",
            words[words.startIndex + 2] == "exec"
        {
            guard let name = NamespaceName(words[words.startIndex + 3]) else { return nil }
            netns = name
            words = words.dropFirst(4)
        }
        guard words.first == "ping" else { return nil }
        words = words.dropFirst()

        var count = 1
        var timeout = 10_000
        var target: IPAddress?
        // Options and the address, up to the first redirection or operator.
        while let word = words.first, !Self.isOperator(word), !Self.startsRedirection(words) {
            words = words.dropFirst()
            if word.hasPrefix("-"), word.count >= 2 {
                let option = word.dropFirst()
                if option.allSatisfy({ "qn46".contains($0) }) { continue }
                guard let letter = option.first, "cW".contains(letter) else { return nil }
                var value = String(option.dropFirst())
                if value.isEmpty {
                    guard let next = words.first else { return nil }
                    value = next
                    words = words.dropFirst()
                }
                if letter == "c" {
                    guard let number = Int(value), (1...100).contains(number) else { return nil }
                    count = number
                } else {
                    guard let seconds = Double(value), seconds > 0, seconds <= 60 else { return nil }
                    timeout = Int((seconds * 1000).rounded())
                    guard timeout >= 1 else { return nil }
                }
            } else {
                guard target == nil, let address = IPAddress(word) else { return nil }
                target = address
            }
        }
        guard let target else { return nil }
        // Redirections of ping's output to /dev/null.
        while !words.isEmpty, Self.startsRedirection(words) {
            var rest = words
            if let first = rest.first, Self.isDigits(first) { rest = rest.dropFirst() }
            guard let op = rest.first, let destination = rest.dropFirst().first else { return nil }
            switch op {
            case "&>", ">", ">>": guard destination == "/dev/null" else { return nil }
            case ">&": guard destination == "1" || destination == "2" || destination == "/dev/null" else { return nil }
            default: return nil
            }
            words = rest.dropFirst(2)
        }
        // `|| (echo …; exit N)` or `&& (…)`; braces work too.
        guard let test = words.first, test == "||" || test == "&&" else { return nil }
        words = words.dropFirst()
        guard let open = words.first, open == "(" || open == "{", let close = words.last,
            close == (open == "(" ? ")" : "}")
        else { return nil }
        var body = Array(words.dropFirst().dropLast())
        if body.last == ";" { body.removeLast() }
        guard body.count >= 2, body[body.count - 2] == "exit", let status = body.last.flatMap({ Int($0) }),
            status != 0
        else { return nil }
        var message = body.dropLast(2)
        if !message.isEmpty {
            guard message.last == ";" else { return nil }
            message = message.dropLast()
            guard let first = message.first, first == "echo" || first == "printf",
                !message.contains(where: { $0 == "||" || $0 == "&&" || $0 == "|" || $0 == ";" })
            else { return nil }
        }
        self.netns = netns
        self.target = target
        self.count = count
        self.timeoutMilliseconds = timeout
        self.expectation = test == "||" ? .reachable : .unreachable
    }

    init(
        netns: NamespaceName?, target: IPAddress, count: Int, timeoutMilliseconds: Int,
        expectation: ReachCheck.Expectation
    ) {
        self.netns = netns
        self.target = target
        self.count = count
        self.timeoutMilliseconds = timeoutMilliseconds
        self.expectation = expectation
    }

    private static func isOperator(_ word: String) -> Bool {
        ["||", "&&", "|", ";", "&", "(", ")", "&>", ">", ">>", ">&", "<", "<&", "<<"].contains(word)
    }

    private static func isDigits(_ word: String) -> Bool {
        !word.isEmpty && word.unicodeScalars.allSatisfy { (0x30...0x39).contains($0.value) }
    }

    private static func startsRedirection(_ words: ArraySlice<String>) -> Bool {
        guard let first = words.first else { return false }
        if ["&>", ">", ">>", ">&"].contains(first) { return true }
        if isDigits(first), let next = words.dropFirst().first {
            return [">", ">>", ">&"].contains(next)
        }
        return false
    }

    /// The line a render writes for one target of a check that has no original lines.
    static func line(
        node: NodeName, netns: NamespaceName?, target: IPAddress, count: Int, timeoutMilliseconds: Int,
        expectation: ReachCheck.Expectation
    ) -> String {
        let seconds =
            timeoutMilliseconds % 1000 == 0
            ? String(timeoutMilliseconds / 1000) : String(Double(timeoutMilliseconds) / 1000)
        let prefix = netns.map { "ip netns exec \($0) " } ?? ""
        let ping = "\(prefix)ping -q -n -c \(count) \(target) -W \(seconds) &>/dev/null"
        switch expectation {
        case .reachable: return "\(ping) || (echo \"\(node): no answer from \(target)\"; exit 1)"
        case .unreachable: return "\(ping) && (echo \"\(node): \(target) answers but must not\"; exit 1)"
        }
    }
}

/// Groups lines of one block into ping checks.
enum PingBlock {
    /// Lines that may stand among ping checks without making the block ordinary commands.
    static func isNeutral(_ text: String) -> Bool {
        let trimmed = text.trimmingLeadingSpaces
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return true }
        guard let words = ShellWords.split(trimmed) else { return false }
        return words.first == "set"
            && words.dropFirst().allSatisfy {
                $0.hasPrefix("-") || $0.hasPrefix("+") || $0 == "errexit" || $0 == "pipefail"
            }
    }

    /// The check a block stands for when every command in it is the ping idiom with the same options, else nil.
    static func check(node: NodeName, label: String?, lines: [ScriptLine]) -> ReachCheck? {
        var idioms: [PingIdiom] = []
        for line in lines {
            if isNeutral(line.text) { continue }
            guard let idiom = PingIdiom(line.text) else { return nil }
            if let first = idioms.first {
                guard first.netns == idiom.netns, first.count == idiom.count,
                    first.timeoutMilliseconds == idiom.timeoutMilliseconds, first.expectation == idiom.expectation
                else { return nil }
            }
            idioms.append(idiom)
        }
        guard let first = idioms.first else { return nil }
        return ReachCheck(
            node: node, netns: first.netns, targets: idioms.map(\.target), expectation: first.expectation,
            count: first.count, timeoutMilliseconds: first.timeoutMilliseconds, originalLines: lines, label: label)
    }

    /// Whether a check can take another check's targets: same node, namespace and options.
    static func canMerge(_ check: ReachCheck, _ other: ReachCheck) -> Bool {
        check.node == other.node && check.netns == other.netns && check.count == other.count
            && check.timeoutMilliseconds == other.timeoutMilliseconds && check.expectation == other.expectation
    }
}
