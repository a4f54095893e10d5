extension PlanYAMLWriter {
    /// A `fault:` entry, as `PlanReader.readFault` reads it.
    static func fault(_ fault: FaultStep) -> [String] {
        switch fault.action {
        case .heal:
            return ["    fault: heal"]
        case .linkDown(let link), .linkUp(let link):
            let verb = if case .linkDown = fault.action { "link_down" } else { "link_up" }
            let target = quoted(link.endpoint.description)
            return ["    fault:", "      \(verb): " + (link.wholeSegment ? "{segment: \(target)}" : target)]
        case .netem(let endpoint, let settings):
            var lines = ["    fault:", "      netem:", "        interface: \(quoted(endpoint.description))"]
            guard let settings else { return lines + ["        off: true"] }
            if let delay = settings.delayMilliseconds { lines.append("        delay_ms: \(delay)") }
            if let jitter = settings.jitterMilliseconds { lines.append("        jitter_ms: \(jitter)") }
            if let loss = settings.lossPercent { lines.append("        loss_percent: \(NetemSettings.format(loss))") }
            if let rate = settings.rate { lines.append("        rate: \(quoted(rate))") }
            return lines
        case .partition(let segment, let groups):
            let written = groups.map { "[" + $0.map { quoted($0.rawValue) }.joined(separator: ", ") + "]" }
            return [
                "    fault:", "      partition:", "        segment: \(quoted(segment.description))",
                "        groups: [\(written.joined(separator: ", "))]",
            ]
        case .signal(let signal, let process):
            switch process {
            case .node(let node):
                return ["    fault:", "      \(signal.rawValue): \(quoted(node.rawValue))"]
            case .service(let node, let name):
                return [
                    "    fault:",
                    "      \(signal.rawValue): {node: \(quoted(node.rawValue)), service: \(quoted(name.rawValue))}",
                ]
            }
        }
    }
}
