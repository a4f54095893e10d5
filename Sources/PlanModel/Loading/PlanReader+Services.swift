import Yams

extension PlanReader {
    /// `service: {node, name, start: CMD, env: {K: V}, ready: {run, …, retry}}`, or the same with `stop: true`
    /// (and `signal`, `grace_ms`), `signal: HUP`, or `input: TEXT` instead of `start`.
    mutating func readService(_ node: Yams.Node) -> ServiceStep? {
        guard let entries = walker.mapping(node, "'service'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.serviceKeys, in: "'service'")
        let field = { (key: String) in entries.first { $0.key == key } }
        guard let nodeEntry = field("node") else {
            walker.error(.missingKey, "'service' has no 'node'", at: node, hint: "add 'node: NAME'")
            return nil
        }
        let resolved = resolveNode(nodeEntry.value, "'node'")
        let netns = field("netns").flatMap { readNetns($0.value) }
        let name = readServiceName(field("name"), at: node)
        let verbs = ["start", "stop", "signal", "input"].filter { field($0) != nil }
        guard verbs.count == 1, let verb = field(verbs[0]) else {
            walker.error(
                .invalidValue,
                verbs.isEmpty ? "'service' says nothing to do" : "'service' mixes \(verbs.joined(separator: " and "))",
                at: node, hint: "give exactly one of 'start: COMMAND', 'stop: true', 'signal: NAME', 'input: TEXT'")
            return nil
        }
        guard let action = readServiceAction(verb, entries: entries, at: node) else { return nil }
        guard let resolved, let name else { return nil }
        return ServiceStep(node: resolved.name, name: name, action: action, netns: netns, label: resolved.label)
    }

    private mutating func readServiceName(_ entry: YAMLEntry?, at node: Yams.Node) -> ServiceName? {
        guard let entry else {
            walker.error(.missingKey, "'service' has no 'name'", at: node, hint: "name the service, e.g. name: bird")
            return nil
        }
        guard let text = walker.nonEmptyString(entry.value, "'name'") else { return nil }
        guard let name = ServiceName(text) else {
            walker.error(
                .invalidValue, "'\(text)' is not a service name", at: entry.value,
                hint: "use letters, digits, '_', '.', '-' (at most 64)")
            return nil
        }
        return name
    }

    private mutating func readServiceAction(_ verb: YAMLEntry, entries: [YAMLEntry], at node: Yams.Node)
        -> ServiceStep.Action?
    {
        let field = { (key: String) in entries.first { $0.key == key } }
        switch verb.key {
        case "start":
            guard let command = walker.nonEmptyString(verb.value, "'start'") else { return nil }
            var environment: [String: String] = [:]
            if let env = field("env"), let pairs = walker.mapping(env.value, "'env'") {
                for pair in pairs {
                    guard Self.isEnvironmentName(pair.key) else {
                        walker.error(
                            .invalidValue, "'\(pair.key)' is not an environment variable name", at: pair.keyNode,
                            hint: "use letters, digits and '_', not starting with a digit")
                        continue
                    }
                    environment[pair.key] = walker.string(pair.value, "'\(pair.key)'") ?? ""
                }
            }
            let ready = field("ready").flatMap { readReadiness($0.value, node: entries) }
            return .start(command: command, environment: environment, ready: ready)
        case "stop":
            let signal = field("signal").flatMap { readSignal($0.value) } ?? .term
            let grace = field("grace_ms").flatMap { walker.int($0.value, "'grace_ms'", range: 0...600_000) } ?? 5000
            return .stop(signal: signal, graceMilliseconds: grace)
        case "signal":
            return readSignal(verb.value).map { .signal($0) }
        default:
            return walker.string(verb.value, "'input'").map { .input($0) }
        }
    }

    /// `ready: {run: CMD, retry: …}`: an expect check on the service's node, retried until it holds.
    private mutating func readReadiness(_ value: Yams.Node, node entries: [YAMLEntry]) -> ExpectCheck? {
        guard var keys = walker.mapping(value, "'ready'") else { return nil }
        if !keys.contains(where: { $0.key == "node" }), let node = entries.first(where: { $0.key == "node" }) {
            keys.append(node)
        }
        if !keys.contains(where: { $0.key == "retry" }) {
            walker.error(
                .missingKey, "'ready' has no 'retry'", at: value,
                hint: "say how long the service may take to be ready, e.g. retry: {timeout_ms: 10000}")
            return nil
        }
        return readExpect(keys: keys, at: value)
    }

    private mutating func readSignal(_ value: Yams.Node) -> ServiceSignal? {
        guard let text = walker.nonEmptyString(value, "'signal'") else { return nil }
        let name = text.uppercased().hasPrefix("SIG") ? String(text.uppercased().dropFirst(3)) : text.uppercased()
        guard let signal = ServiceSignal(rawValue: name) else {
            walker.error(
                .invalidValue, "'\(text)' is not a signal testbed sends", at: value,
                hint: "one of \(ServiceSignal.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return signal
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { Names.isASCIIAlphanumeric($0) || $0 == "_" }
    }

    /// `wait: 2` or `wait: 0.5` (seconds), `wait: {ms: 2000}` or `wait: {seconds: 2}`.
    mutating func readWait(_ node: Yams.Node) -> Int? {
        if case .scalar = node {
            return walker.seconds(node, "'wait'").map { Int(($0 * 1000).rounded()) }
        }
        guard let entries = walker.mapping(node, "'wait'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: ["ms", "seconds"], in: "'wait'")
        if let ms = entries.first(where: { $0.key == "ms" }) {
            return walker.int(ms.value, "'ms'", range: 1...3_600_000)
        }
        if let seconds = entries.first(where: { $0.key == "seconds" }) {
            return walker.int(seconds.value, "'seconds'", range: 1...3600).map { $0 * 1000 }
        }
        walker.error(
            .missingKey, "'wait' says no duration", at: node,
            hint: "wait: {seconds: 2} — but a check with a retry policy waits only as long as needed")
        return nil
    }
}
