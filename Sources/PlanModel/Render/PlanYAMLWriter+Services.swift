extension PlanYAMLWriter {
    /// The lines of a `service:` step.
    static func service(_ service: ServiceStep) -> [String] {
        var out = ["    service:"]
        out.append("      node: \(quoted(service.label ?? service.node.rawValue))")
        if let netns = service.netns { out.append("      netns: \(quoted(netns.rawValue))") }
        out.append("      name: \(quoted(service.name.rawValue))")
        switch service.action {
        case .start(let command, let environment, let ready):
            out.append("      start: \(quoted(command))")
            if !environment.isEmpty {
                out.append("      env:")
                out += environment.sorted { $0.key < $1.key }.map { "        \($0.key): \(quoted($0.value))" }
            }
            if let ready {
                out.append("      ready:")
                if let netns = ready.block.netns { out.append("        netns: \(quoted(netns.rawValue))") }
                out += run(ready.block.lines.map(\.text), indent: 8)
                out.append("        status: \(ready.status)")
                if !ready.stdoutContains.isEmpty {
                    out.append("        stdout_contains: [\(ready.stdoutContains.map(quoted).joined(separator: ", "))]")
                }
                if let json = ready.stdoutJSON { out.append("        stdout_json: \(json)") }
                out += retry(ready.retry, indent: 8)
            }
        case .stop(let signal, let grace):
            out += ["      stop: true", "      signal: \(signal.rawValue)", "      grace_ms: \(grace)"]
        case .signal(let signal):
            out.append("      signal: \(signal.rawValue)")
        case .input(let text):
            out.append("      input: \(quoted(text))")
        }
        return out
    }

    /// The `retry:` entry of a check, if it has one.
    static func retry(_ policy: RetryPolicy?, indent: Int) -> [String] {
        guard let policy else { return [] }
        let pad = String(repeating: " ", count: indent)
        return [
            "\(pad)retry: {timeout_ms: \(policy.timeoutMilliseconds), interval_ms: \(policy.intervalMilliseconds), "
                + "consecutive: \(policy.consecutivePasses)}"
        ]
    }
}

extension PlanYAMLWriter {
    /// The lines of a `conform:` step; the documented blocks are written inline (a YAML plan holds them itself).
    static func conform(_ check: ConformCheck) -> [String] {
        var out = ["    conform:", "      node: \(quoted(check.label ?? check.node.rawValue))"]
        out.append("      source: \(quoted(check.source))")
        out.append("      documented:")
        for block in check.documented {
            out.append("        - netns: \(block.netns.map { quoted($0.rawValue) } ?? "null")")
            out += run(block.lines.map(\.text), indent: 10)
        }
        if !check.bindings.isEmpty {
            out.append("      bind:")
            out += check.bindings.sorted { $0.key < $1.key }.map { "        \(quoted($0.key)): \(quoted($0.value))" }
        }
        out.append("      on_difference: \(check.onDifference.rawValue)")
        out += retry(check.retry, indent: 6)
        return out
    }
}
