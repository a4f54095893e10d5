import Yams

extension PlanReader {
    static let reachKeys = ["from", "netns", "to", "expect", "count", "timeout_ms", "retry"]
    static let expectKeys = [
        "node", "netns", "run", "status", "stdout_contains", "stdout_excludes", "stdout_matches", "stdout_json",
        "retry",
    ]
    static let retryKeys = ["timeout_ms", "interval_ms", "consecutive"]
    /// Stands in for a node name that did not resolve, in a check that is read on and then dropped.
    static let unresolvedNode: NodeName = "unresolved"

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
        // An unknown 'from' is already an error; the rest of the check is still read for its own errors.
        var check = ReachCheck(node: from?.name ?? Self.unresolvedNode, targets: [], label: from?.label)
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
            case "retry": check.retry = readRetry(entry.value)
            default: break
            }
        }
        guard from != nil, !check.targets.isEmpty, targetsValid else { return nil }
        return check
    }

    mutating func readExpect(_ node: Yams.Node) -> ExpectCheck? {
        guard let entries = walker.mapping(node, "'expect'") else { return nil }
        return readExpect(keys: entries, at: node)
    }

    /// An expect check from its keys (`expect:` itself, or a service's `ready:`).
    mutating func readExpect(keys entries: [YAMLEntry], at node: Yams.Node) -> ExpectCheck? {
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
            case "stdout_json": check.stdoutJSON = readJSON(entry.value, "'stdout_json'")
            case "retry": check.retry = readRetry(entry.value)
            default: break
            }
        }
        return check
    }

    /// `retry: {timeout_ms: 10000, interval_ms: 200, consecutive: 3}`: wait until the check holds.
    mutating func readRetry(_ node: Yams.Node) -> RetryPolicy? {
        guard let entries = walker.mapping(node, "'retry'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.retryKeys, in: "'retry'")
        guard let timeoutEntry = entries.first(where: { $0.key == "timeout_ms" }) else {
            walker.error(
                .missingKey, "'retry' has no 'timeout_ms'", at: node,
                hint: "say how long to wait for the condition, e.g. retry: {timeout_ms: 10000}")
            return nil
        }
        guard let timeout = walker.int(timeoutEntry.value, "'timeout_ms'", range: 1...3_600_000) else { return nil }
        var policy = RetryPolicy(timeoutMilliseconds: timeout)
        for entry in entries {
            switch entry.key {
            case "interval_ms":
                policy.intervalMilliseconds =
                    walker.int(entry.value, "'interval_ms'", range: 1...600_000) ?? policy.intervalMilliseconds
            case "consecutive":
                policy.consecutivePasses = walker.int(entry.value, "'consecutive'", range: 1...1000) ?? 1
            default: break
            }
        }
        return policy
    }

    /// A YAML value as compact JSON text (mappings, sequences, strings, numbers, booleans, null).
    mutating func readJSON(_ node: Yams.Node, _ what: String) -> String? {
        guard let value = YAMLJSON.value(of: node) else {
            walker.error(
                .wrongType, "\(what) must be JSON-like data (mappings, lists, strings, numbers, true/false, null)",
                at: node, hint: "write the expected JSON as YAML, e.g. stdout_json: [{dst: 10.0.0.0/24}]")
            return nil
        }
        return value
    }
}
