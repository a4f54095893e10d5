import Foundation
import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// The faults of the local lab: ports of the switch namespace, netem on them, nft bridge rules, and the
/// processes of a node's network namespace.
struct LabFaults {
    let topology: Topology
    let summary: LabSummary
    let nsenter: String
    let ledger: FaultLedger

    func apply(_ fault: FaultStep) throws(FaultInjector.Failure) -> [String] {
        let ports = LabSwitchPorts(topology: topology)
        switch fault.action {
        case .linkDown(let link), .linkUp(let link):
            let down = if case .linkDown = fault.action { true } else { false }
            let targets = try self.ports(of: link, ports)
            let summary = "link down \(link)"
            if down {
                try record(summary, .switchCommands(targets.map { ["ip", "link", "set", $0.1, "up"] }))
            } else {
                try forget { $0.summary == "link down \(link)" || (!link.wholeSegment && $0.summary == summary) }
            }
            for (endpoint, port) in targets {
                if let problem = runInSwitch(["ip", "link", "set", port, down ? "down" : "up"]) {
                    throw .init("setting \(endpoint) \(down ? "down" : "up") failed: \(problem)")
                }
            }
            return targets.map { "\($0.0) \(down ? "down" : "up") (switch port \($0.1))" }
        case .netem(let endpoint, let settings):
            guard let port = ports.port(of: endpoint) else { throw .init("\(endpoint) has no switch port") }
            return try netem(endpoint, port: port, settings)
        case .partition(let segment, let groups):
            return try partition(segment, groups: groups, ports)
        case .signal(let signal, .node(let node)):
            return try signalNode(node, signal)
        case .signal, .heal:
            return []
        }
    }

    /// Delay and jitter need the kernel's netem qdisc (which then also takes loss and rate); without a delay,
    /// loss is an nft bridge rule (`numgen random`) and rate a `tbf` qdisc, which kernels without netem have.
    private func netem(_ endpoint: Endpoint, port: String, _ settings: NetemSettings?) throws(FaultInjector.Failure)
        -> [String]
    {
        let summary = "netem on \(endpoint)"
        let table = "testbed_loss_\(port)"
        let undo = [["tc", "qdisc", "del", "dev", port, "root"], ["nft", "delete", "table", "bridge", table]]
        try forget { $0.summary.hasPrefix(summary) }
        for command in undo { _ = runInSwitch(command) }
        guard let settings else { return ["netem off on \(endpoint)"] }
        try record("\(summary): \(settings)", .switchCommands(undo))
        if settings.delayMilliseconds != nil {
            if let problem = runInSwitch(["tc", "qdisc", "replace", "dev", port, "root", "netem"] + settings.arguments)
            {
                let missing = problem.contains("qdisc kind is unknown")
                throw .init(
                    missing
                        ? "a delay needs the kernel's netem qdisc, which this kernel lacks (CONFIG_NET_SCH_NETEM); "
                            + "loss and rate work without it"
                        : "netem on \(endpoint) failed: \(problem)")
            }
            return ["netem \(settings) on the traffic to \(endpoint) (switch port \(port))"]
        }
        var done: [String] = []
        if let rate = settings.rate {
            let tbf = [
                "tc", "qdisc", "replace", "dev", port, "root", "tbf", "rate", rate, "burst", "32kbit", "latency",
                "400ms",
            ]
            if let problem = runInSwitch(tbf) { throw .init("rate \(rate) on \(endpoint) failed: \(problem)") }
            done.append("rate \(rate) (tbf) on the traffic to \(endpoint) (switch port \(port))")
        }
        if let loss = settings.lossPercent, loss > 0 {
            let drop =
                loss >= 100 ? "drop" : "numgen random mod 10000 < \(Int((loss * 100).rounded())) drop"
            let rules = [
                "table bridge \(table) {", "  chain forward {",
                "    type filter hook forward priority -10; policy accept;",
                "    oifname \"\(port)\" \(drop)", "  }", "}",
            ]
            try loadRules(rules, name: table)
            done.append("loss \(NetemSettings.format(loss))% (nft) on the traffic to \(endpoint) (switch port \(port))")
        }
        return done
    }

    /// Writes an nft ruleset beside the ledger and loads it in the switch namespace.
    private func loadRules(_ rules: [String], name: String) throws(FaultInjector.Failure) {
        let file = (ledger.path as NSString).deletingLastPathComponent + "/\(topology.name)-\(name).nft"
        do {
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try rules.joined(separator: "\n").appending("\n").write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            throw .init("cannot write the rules \(file): \(error)")
        }
        if let problem = runInSwitch(["nft", "-f", file]) { throw .init("nft refused \(file): \(problem)") }
    }

    private func ports(of link: FaultLink, _ ports: LabSwitchPorts) throws(FaultInjector.Failure) -> [(
        Endpoint, String
    )] {
        if link.wholeSegment {
            guard let segment = ports.segment(of: link.endpoint) else {
                throw .init("\(link.endpoint) is on no segment")
            }
            return segment.ports
        }
        guard let port = ports.port(of: link.endpoint) else { throw .init("\(link.endpoint) has no switch port") }
        return [(link.endpoint, port)]
    }

    /// One nft bridge table per segment: frames between ports of different groups are dropped (ARP too).
    private func partition(_ segment: Endpoint, groups: [[NodeName]], _ ports: LabSwitchPorts)
        throws(FaultInjector.Failure) -> [String]
    {
        guard let found = ports.segment(of: segment) else { throw .init("\(segment) is on no segment") }
        let table = "testbed_partition_\(found.bridge)"
        let listed = Set(groups.joined())
        let rest = found.ports.map(\.0.node).filter { !listed.contains($0) }
        let all = groups + (rest.isEmpty ? [] : [rest])
        let groupOf = Dictionary(
            all.enumerated().flatMap { index, group in group.map { ($0, index) } },
            uniquingKeysWith: { first, _ in first })
        var rules = [
            "table bridge \(table) {", "  chain forward {", "    type filter hook forward priority 0; policy accept;",
        ]
        for (from, fromPort) in found.ports {
            for (to, toPort) in found.ports where groupOf[from.node] != groupOf[to.node] {
                rules.append("    iifname \"\(fromPort)\" oifname \"\(toPort)\" drop")
            }
        }
        rules += ["  }", "}"]
        let summary = "partition of \(found.bridge)"
        try forget { $0.summary.hasPrefix(summary) }
        _ = runInSwitch(["nft", "delete", "table", "bridge", table])
        let text = all.map { $0.map(\.rawValue).joined(separator: " ") }.joined(separator: " | ")
        try record("\(summary): \(text)", .switchCommands([["nft", "delete", "table", "bridge", table]]))
        try loadRules(rules, name: table)
        return ["segment \(found.bridge) (\(segment)) cut into \(text)"]
    }

    private func signalNode(_ node: NodeName, _ signal: FaultSignal) throws(FaultInjector.Failure) -> [String] {
        guard let record = summary.nodes.first(where: { $0.name == node }) else {
            throw .init("node \(node) is not in lab \(summary.name)")
        }
        switch signal {
        case .pause:
            try self.record("node \(node) paused", .continueLabNode(node, netnsInode: record.netnsInode))
        case .resume:
            try forget { $0.summary == "node \(node) paused" }
        case .kill:
            try self.record("node \(node) killed", .none)
        }
        let number: Int32 =
            switch signal {
            case .kill: SIGKILL
            case .pause: SIGSTOP
            case .resume: SIGCONT
            }
        let count = Self.signalMembers(of: record.netnsInode, number)
        return ["\(signal.rawValue) node \(node): signal \(number) to its \(count) processes"]
    }

    /// Signals every process in the network namespace `inode` (a lab node's), each pinned by a pidfd and
    /// confirmed to be in that namespace before the signal. Returns how many were signalled.
    /// After SIGKILL it waits (up to 5 s) until they have ended, so the node's namespace, and with it its
    /// links, is gone when the step ends.
    static func signalMembers(of inode: UInt64, _ signal: Int32) -> Int {
        var signalled: [PinnedProcess] = []
        for pid in ProcFS.processes(inNamespaces: [inode], kind: "net") where pid != getpid() {
            let outcome = try? PinnedProcess.signal(signal, pid: pid) {
                ProcFS.namespaceInode(of: $0, kind: "net") == inode
            }
            if case .signalled(let process) = outcome { signalled.append(process) }
        }
        if signal == SIGKILL { _ = PinnedProcess.waitForEnd(of: signalled, until: .now + .seconds(5)) }
        return signalled.count
    }

    /// Runs a command in the switch namespace; returns its error text when it failed.
    func runInSwitch(_ arguments: [String]) -> String? {
        guard let tool = arguments.first.flatMap({ ProcessEnvironment.which($0) }) else {
            return "\(arguments.first ?? "?") is not installed"
        }
        do {
            let output = try ProcessRunner.run(
                nsenter, ["--net=/proc/\(summary.switchPID)/ns/net", "--", tool] + arguments.dropFirst(),
                timeout: .seconds(20))
            return output.status.isSuccess ? nil : output.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            return "\(error)"
        }
    }

    private func record(_ summary: String, _ undo: FaultLedger.Undo) throws(FaultInjector.Failure) {
        do { try ledger.add(.init(summary: summary, undo: undo, appliedAt: Date())) } catch {
            throw .init("cannot record the fault in \(ledger.path): \(error)")
        }
    }

    private func forget(_ drop: (FaultLedger.Entry) -> Bool) throws(FaultInjector.Failure) {
        do { try ledger.remove(where: drop) } catch {
            throw .init("cannot update the fault record \(ledger.path): \(error)")
        }
    }
}
