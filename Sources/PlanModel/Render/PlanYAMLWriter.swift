/// Writes a plan as the YAML `PlanLoader` reads: `run: |` blocks, `reach:` and `expect:` checks, every string
/// double-quoted. Reading the text back gives `representable(plan)` again (locations aside).
///
/// YAML plans have no headings, no prose placement, no blocks without commands and no original check lines;
/// `representable` drops those and `omissions` says what was dropped.
public enum PlanYAMLWriter {
    /// The YAML text of `plan`'s representable part; `topology` tells which labels `PlanLoader` resolves.
    public static func write(_ plan: Plan, topology: Topology) -> String {
        var out = omissions(plan).map { "# \($0)" }
        let plan = representable(plan, topology: topology)
        out.append("title: \(quoted(plan.title))")
        if !plan.notes.isEmpty {
            out.append("notes:")
            out += plan.notes.map { "  - \(quoted($0.text))" }
        }
        var body = [plan.steps.isEmpty ? "steps: []" : "steps:"]
        for step in plan.steps {
            body.append("  - id: \(quoted(step.id))")
            body.append("    title: \(quoted(step.title))")
            if let operation = step.operation { body.append("    op: \(quoted(operation.rawValue))") }
            if step.isBarrier { body.append("    barrier: true") }
            if step.startsTogether { body.append("    together: true") }
            if !step.notes.isEmpty {
                body.append("    notes:")
                body += step.notes.map { "      - \(quoted($0.text))" }
            }
            switch step.action {
            case .blocks(let blocks):
                body.append("    blocks:")
                for block in blocks {
                    body.append("      - node: \(quoted(block.label ?? block.node.rawValue))")
                    if let netns = block.netns { body.append("        netns: \(quoted(netns.rawValue))") }
                    body += run(block.lines.map(\.text), indent: 8)
                }
            case .reach(let check):
                body.append("    reach:")
                body.append("      from: \(quoted(check.label ?? check.node.rawValue))")
                if let netns = check.netns { body.append("      netns: \(quoted(netns.rawValue))") }
                body.append("      to: [\(check.targets.map { quoted($0.description) }.joined(separator: ", "))]")
                body.append("      expect: \(check.expectation.rawValue)")
                body.append("      count: \(check.count)")
                body.append("      timeout_ms: \(check.timeoutMilliseconds)")
                body += retry(check.retry, indent: 6)
            case .expect(let check):
                body.append("    expect:")
                body.append("      node: \(quoted(check.block.label ?? check.block.node.rawValue))")
                if let netns = check.block.netns { body.append("      netns: \(quoted(netns.rawValue))") }
                body += run(check.block.lines.map(\.text), indent: 6)
                body.append("      status: \(check.status)")
                if !check.stdoutContains.isEmpty {
                    body.append("      stdout_contains: [\(check.stdoutContains.map(quoted).joined(separator: ", "))]")
                }
                if !check.stdoutExcludes.isEmpty {
                    body.append("      stdout_excludes: [\(check.stdoutExcludes.map(quoted).joined(separator: ", "))]")
                }
                if let pattern = check.stdoutMatches { body.append("      stdout_matches: \(quoted(pattern))") }
                if let json = check.stdoutJSON { body.append("      stdout_json: \(json)") }
                body += retry(check.retry, indent: 6)
            case .service(let service):
                body += self.service(service)
            case .wait:
                body.append("    wait: \(PageRenderer.seconds(step.waitSeconds ?? 0))")
            case .conform(let check):
                body += conform(check)
            case .fault(let fault):
                body += self.fault(fault)
            }
        }
        out += parameters(of: plan, body: body)
        return (out + body).joined(separator: "\n") + "\n"
    }

    /// The part of a plan a YAML plan can hold: steps with something to run, blocks with commands, labels that
    /// name their node in `topology` (others become the node's name), no headings, no note placement, no
    /// original check lines.
    public static func representable(_ plan: Plan, topology: Topology) -> Plan {
        func label(_ label: String?, node: NodeName) -> String {
            guard let label, topology.node(named: label)?.name == node else { return node.rawValue }
            return label
        }
        var plan = plan
        plan.notes = plan.notes.map { Note(text: $0.text, location: $0.location) }
        plan.steps = plan.steps.compactMap { step in
            var step = step
            step.heading = nil
            step.notes = step.notes.map { Note(text: $0.text, location: $0.location) }
            switch step.action {
            case .blocks(let blocks):
                let kept = blocks.filter { !$0.commands.isEmpty }.map { block in
                    var block = block
                    block.label = label(block.label, node: block.node)
                    return block
                }
                guard !kept.isEmpty else { return nil }
                step.action = .blocks(kept)
            case .reach(var check):
                check.originalLines = []
                check.label = label(check.label, node: check.node)
                step.action = .reach(check)
            case .expect(var check):
                guard !check.block.commands.isEmpty else { return nil }
                check.block.label = label(check.block.label, node: check.block.node)
                step.action = .expect(check)
            case .service(var service):
                service.label = label(service.label, node: service.node)
                step.action = .service(service)
            case .conform(var check):
                check.label = label(check.label, node: check.node)
                step.action = .conform(check)
            case .wait, .fault:
                break
            }
            return step
        }
        return plan
    }

    /// What `write` leaves out of `plan`, one sentence per step or block.
    public static func omissions(_ plan: Plan) -> [String] {
        var omissions: [String] = []
        for step in plan.steps {
            switch step.action {
            case .blocks(let blocks):
                let empty = blocks.filter { $0.commands.isEmpty }
                if empty.count == blocks.count {
                    omissions.append(
                        "step '\(step.id)' is not written: it has no commands (prose only or empty blocks)")
                } else if !empty.isEmpty {
                    omissions.append(
                        "step '\(step.id)': \(empty.count) block(s) without commands are not written "
                            + "(\(empty.map(\.node).joined(separator: ", ")))")
                }
            case .expect(let check) where check.block.commands.isEmpty:
                omissions.append("step '\(step.id)' is not written: its expect check has no command")
            default: break
            }
        }
        return omissions
    }

    /// A `run:` entry: a literal block scalar, or a list of quoted lines when a line holds characters a block
    /// scalar cannot carry (control characters, YAML line breaks).
    static func run(_ lines: [String], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let isPlain = lines.allSatisfy { line in line.unicodeScalars.allSatisfy { isBlockSafe($0) } }
        guard isPlain, !lines.isEmpty else {
            return ["\(pad)run:"] + lines.map { "\(pad)  - \(quoted($0))" }
        }
        let chomping = lines.last?.isEmpty == true ? "+" : ""
        let content = String(repeating: " ", count: indent + 2)
        return ["\(pad)run: |2\(chomping)"] + lines.map { $0.isEmpty ? "" : content + $0 }
    }

    private static func isBlockSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF:
            return scalar.value != 0x2028 && scalar.value != 0x2029
        default: return false
        }
    }

    /// A YAML double-quoted scalar that reads back as exactly `text`.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0x22: out += "\\\""
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x85: out += "\\N"
            case 0x2028: out += "\\L"
            case 0x2029: out += "\\P"
            case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF:
                out.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out +=
                    scalar.value <= 0xFF
                    ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return out + "\""
    }
}
