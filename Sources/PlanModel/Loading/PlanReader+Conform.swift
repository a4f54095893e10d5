import Foundation
import Yams

extension PlanReader {
    /// `conform: {node, documented: {file, steps: [ids]} | [{netns, run}…], bind: {…}, on_difference, retry,
    /// commands_of: SERVICE, rebase: BOOL}`.
    mutating func readConform(_ node: Yams.Node) -> ConformCheck? {
        guard let entries = walker.mapping(node, "'conform'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: Self.conformKeys, in: "'conform'")
        let field = { (key: String) in entries.first { $0.key == key } }
        guard let nodeEntry = field("node"), let documentedEntry = field("documented") else {
            walker.error(
                .missingKey, "'conform' needs 'node' and 'documented'", at: node,
                hint: "e.g. conform: {node: beta, documented: {file: demo.yaml, steps: [arc]}}")
            return nil
        }
        guard let resolved = resolveNode(nodeEntry.value, "'node'") else { return nil }
        var bindings: [String: String] = [:]
        if let bind = field("bind"), let pairs = walker.mapping(bind.value, "'bind'") {
            for pair in pairs { bindings[pair.key] = walker.nonEmptyString(pair.value, "'\(pair.key)'") }
        }
        var onDifference = ConformCheck.OnDifference.fail
        if let entry = field("on_difference"), let text = walker.string(entry.value, "'on_difference'") {
            guard let value = ConformCheck.OnDifference(rawValue: text) else {
                walker.error(
                    .invalidValue, "'on_difference' must be 'fail' or 'report', found '\(text)'", at: entry.value,
                    hint: "report keeps the run going and lists every difference as a finding")
                return nil
            }
            onDifference = value
        }
        let retry = field("retry").flatMap { readRetry($0.value) }
        guard let (blocks, source) = readDocumented(documentedEntry.value, node: resolved.name) else { return nil }
        let given = field("source").flatMap { walker.string($0.value, "'source'") }
        var check = ConformCheck(
            node: resolved.name, documented: blocks, source: given ?? source, bindings: bindings,
            onDifference: onDifference, retry: retry, label: resolved.label)
        if let entry = field("commands_of"), let text = walker.nonEmptyString(entry.value, "'commands_of'") {
            guard let name = ServiceName(text) else {
                walker.error(
                    .invalidValue, "'\(text)' is not a service name", at: entry.value,
                    hint: "name the service of this node whose log lists the commands it ran")
                return nil
            }
            check.commandsOf = name
        }
        if let entry = field("rebase") { check.rebases = walker.bool(entry.value, "'rebase'") ?? false }
        return check
    }

    /// The documented blocks of `node`: the steps of another file (a plan, page or script, relative to this
    /// plan), or blocks written inline.
    private mutating func readDocumented(_ value: Yams.Node, node: NodeName) -> ([NodeBlock], String)? {
        if case .sequence = value {
            guard let items = walker.sequence(value, "'documented'") else { return nil }
            var blocks: [NodeBlock] = []
            for item in items {
                guard var keys = walker.mapping(item, "a documented block") else { continue }
                keys.removeAll { $0.key == "netns" && $0.value.null != nil }
                keys.append(YAMLEntry(key: "node", keyNode: item, value: Yams.Node(node.rawValue)))
                if let block = readBlock(keys: keys, at: item, what: "a documented block") { blocks.append(block) }
            }
            return (blocks, "inline blocks")
        }
        guard let entries = walker.mapping(value, "'documented'") else { return nil }
        walker.rejectUnknownKeys(entries, allowed: ["file", "steps"], in: "'documented'")
        guard let fileEntry = entries.first(where: { $0.key == "file" }),
            let file = walker.nonEmptyString(fileEntry.value, "'file'"),
            let stepsEntry = entries.first(where: { $0.key == "steps" }),
            let ids = walker.strings(stepsEntry.value, "'steps'")
        else {
            walker.error(
                .missingKey, "'documented' needs 'file' and 'steps'", at: value,
                hint: "name the documented file and the ids of the event's steps: {file: demo.yaml, steps: [arc]}")
            return nil
        }
        guard readsDocuments else {
            walker.error(
                .invalidValue, "a documented file cannot itself name documented files", at: fileEntry.value,
                hint: "point 'conform' at the file that holds the documented blocks themselves")
            return nil
        }
        let directory = URL(fileURLWithPath: walker.source.path).deletingLastPathComponent().path
        let path = file.hasPrefix("/") ? file : directory + "/" + file
        let plan: Plan
        do {
            let text = try InputFile.text(at: path)
            switch PlanSource.format(path: path, text: text) {
            case .yaml: plan = try PlanLoader.parse(text: text, path: path, topology: topology, readsDocuments: false)
            // A scenario's compiled steps are its documented blocks (the compiler names them init-1-start, …).
            case .scenario where scenarios != nil:
                plan = try PlanSource.parse(text: text, path: path, topology: topology, scenarios: scenarios).plan
            default: plan = try PlanSource.parse(text: text, path: path, topology: topology).plan
            }
        } catch {
            walker.error(
                .unreadable, "the documented file \(file) cannot be read: \(error.errors.first?.message ?? "")",
                at: fileEntry.value, hint: "give a plan, page, script or scenario path relative to this plan")
            return nil
        }
        var blocks: [NodeBlock] = []
        for (id, at) in ids {
            guard let step = plan.step(id: id) else {
                walker.error(
                    .unknownReference, "\(file) has no step '\(id)'", at: at,
                    hint: "its steps: \(plan.steps.prefix(20).map(\.id).joined(separator: ", "))")
                continue
            }
            blocks += step.blocks.filter { $0.node == node }
        }
        return (blocks, "\(file) steps \(ids.map(\.0).joined(separator: ", "))")
    }
}
