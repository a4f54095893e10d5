import Yams

extension PlanReader {
    static let reachKeys = ["from", "netns", "to", "expect", "count", "timeout_ms"]
    static let expectKeys = ["node", "netns", "run", "status", "stdout_contains", "stdout_excludes", "stdout_matches"]

    mutating func readReach(_ node: Yams.Node) -> ReachCheck? {
        guard let entries = walker.mapping(node, "'reach'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.reachKeys, in: "'reach'")
        guard let fromEntry = entries.first(where: { $0.key == "from" }) else {
            walker.error(.missingKey, "'reach' has no 'from'", at: node, hint: "add 'from: NODE', the node that pings")
            return nil
        }
        guard let toEntry = entries.first(where: { $0.key == "to" }) else {
            walker.error(.missingKey, "'reach' has no 'to'", at: node, hint: "add 'to: [ADDRESS, …]'")
            return nil
        }
        let from = resolveNode(fromEntry.value, "'from'")
        var check = ReachCheck(node: from?.name ?? "", targets: [], label: from?.label)
        var targetsValid = true
        for (text, item) in walker.strings(toEntry.value, "'to'") ?? [] {
            if let address = IPAddress(text) {
                check.targets.append(address)
            } else {
                targetsValid = false
                walker.error(
                    .invalidValue, "'\(text)' is not an IP address", at: item,
                    hint: "reach checks ping addresses such as 10.0.0.1 (no prefix length, no names)")
            }
        }
        if check.targets.isEmpty && targetsValid {
            walker.error(.missingKey, "'to' lists no address", at: toEntry.value, hint: "add at least one address")
        }
        for entry in entries {
            switch entry.key {
            case "netns": check.netns = readNetns(entry.value)
            case "expect":
                guard let text = walker.string(entry.value, "'expect'") else { continue }
                switch text {
                case "reachable", "success", "pass": check.expectation = .reachable
                case "unreachable", "failure", "fail": check.expectation = .unreachable
                default:
                    walker.error(
                        .invalidValue, "'expect' must be 'reachable' or 'unreachable', found '\(text)'",
                        at: entry.value, hint: "use 'unreachable' for a check that proves something is cut off")
                }
            case "count": check.count = walker.int(entry.value, "'count'", range: 1...100) ?? check.count
            case "timeout_ms":
                check.timeoutMilliseconds =
                    walker.int(entry.value, "'timeout_ms'", range: 1...60_000) ?? check.timeoutMilliseconds
            default: break
            }
        }
        guard from != nil, !check.targets.isEmpty, targetsValid else { return nil }
        return check
    }

    mutating func readExpect(_ node: Yams.Node) -> ExpectCheck? {
        guard let entries = walker.mapping(node, "'expect'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.expectKeys, in: "'expect'")
        guard let block = readBlock(keys: entries, at: node, what: "'expect'") else { return nil }
        var check = ExpectCheck(block: block)
        for entry in entries {
            switch entry.key {
            case "status": check.status = Int32(walker.int(entry.value, "'status'", range: 0...255) ?? 0)
            case "stdout_contains":
                check.stdoutContains = (walker.strings(entry.value, "'stdout_contains'") ?? []).map(\.0)
            case "stdout_excludes":
                check.stdoutExcludes = (walker.strings(entry.value, "'stdout_excludes'") ?? []).map(\.0)
            case "stdout_matches":
                guard let pattern = walker.string(entry.value, "'stdout_matches'") else { continue }
                do {
                    _ = try Regex(pattern)
                    check.stdoutMatches = pattern
                } catch {
                    walker.error(
                        .invalidValue, "'stdout_matches' is not a valid regular expression: \(error)",
                        at: entry.value, hint: "check the brackets and escapes; the syntax is Swift Regex (Perl-like)")
                }
            default: break
            }
        }
        return check
    }
}
