import Foundation
public import Logging
import NodeAgentProtocol
import Orchestrator
public import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// The ways people run documented sequences today, run on the same plan and a fresh lab, for comparison.
///
/// Each peer walks the plan in document order, like the author's replay script: one block after the other,
/// `set -e` inside each block, its exit status checked, and each reach check as sequential
/// `ping -q -n -c 1 ADDR -W 1 || exit 1` lines. None of them checks kernel state.
public enum PeerBench {
    public enum Peer: String, Sendable, CaseIterable {
        /// `ssh NODE bash -s < block`: a new OpenSSH connection per block (the author's `lxc exec` pattern).
        case opensshPerBlock = "OpenSSH, one connection per block"
        /// The same through one OpenSSH ControlMaster connection per node.
        case opensshControlMaster = "OpenSSH ControlMaster"
        /// `nsenter … bash -s < block` on this machine: no SSH at all.
        case localNsenter = "local nsenter, no SSH"
        /// The same with testbed's `ip -batch` compilation of each block.
        case localBatched = "local nsenter + ip -batch"
    }

    public struct Outcome: Sendable {
        public var peer: Peer
        public var seconds: Double
        public var units: Int
        /// The first unit that failed, if any (a peer that fails is not comparable).
        public var failure: String?
    }

    /// Runs `plan` the way `peer` does on a fresh lab of `topology` under `root`.
    /// - Throws: `LabError` when the lab cannot be built.
    public static func run(
        _ peer: Peer, plan: Plan, topology: Topology, root: String, logger: Logger
    ) throws -> Outcome {
        let paths = LabPaths(name: topology.name, root: root)
        try LabTeardown(paths: paths, logger: logger).down()
        let summary = try LabBuilder(topology: topology, root: root, logger: logger).up()
        let access = Dictionary(uniqueKeysWithValues: try Lab.access(summary, root: root).map { ($0.node, $0) })
        let control = FileManager.default.temporaryDirectory.appendingPathComponent("tb-cm-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: control, withIntermediateDirectories: true)
        defer {
            if peer == .opensshControlMaster {
                for node in access.keys {
                    _ = try? ProcessRunner.run(
                        ProcessEnvironment.which("ssh") ?? "/usr/bin/ssh",
                        sshOptions(peer, paths: paths, control: control) + ["-O", "exit", node.rawValue])
                }
            }
            try? FileManager.default.removeItem(atPath: control)
        }
        let start = ContinuousClock.now
        var units = 0
        for (index, step) in plan.steps.enumerated() {
            for (node, netns, script) in scripts(of: step, peer: peer) {
                units += 1
                let output: ProcessOutput
                do {
                    output = try execute(
                        script, on: node, netns: netns, peer: peer, access: access, paths: paths, control: control)
                } catch {
                    return Outcome(
                        peer: peer, seconds: start.secondsSince, units: units, failure: "step \(index + 1): \(error)")
                }
                if !output.status.isSuccess {
                    let reason = output.stderrText.split(separator: "\n").last.map(String.init) ?? "\(output.status)"
                    return Outcome(
                        peer: peer, seconds: start.secondsSince, units: units,
                        failure: "step \(step.id) on \(node): \(reason)")
                }
            }
        }
        return Outcome(peer: peer, seconds: start.secondsSince, units: units, failure: nil)
    }

    /// The scripts a step becomes: one per block (with `set -e`), one per reach or expect check.
    static func scripts(of step: Step, peer: Peer) -> [(NodeName, NamespaceName?, String)] {
        switch step.action {
        case .blocks(let blocks):
            return blocks.map { block in
                let lines = block.lines.map(\.text)
                let body = peer == .localBatched ? BlockCompiler().compile(lines).script : lines.joined(separator: "\n")
                return (block.node, block.netns, "set -e\n" + body + "\n")
            }
        case .reach(let check):
            let seconds = max(1, check.timeoutMilliseconds / 1000)
            let lines = check.targets.map { target in
                let ping = "ping -q -n -c \(check.count) \(target) -W \(seconds) &>/dev/null"
                return check.expectation == .reachable ? "\(ping) || exit 1" : "\(ping) && exit 1"
            }
            return [(check.node, check.netns, lines.joined(separator: "\n") + "\nexit 0\n")]
        case .expect(let check):
            return [(check.node, check.block.netns, check.block.script + "\n")]
        case .service, .wait, .conform, .fault:
            // The peers replay documented commands; a plan with services is not a benchmark workload.
            return []
        }
    }

    static func sshOptions(_ peer: Peer, paths: LabPaths, control: String) -> [String] {
        var options = ["-F", paths.sshConfig, "-o", "BatchMode=yes"]
        if peer == .opensshControlMaster {
            options += ["-o", "ControlMaster=auto", "-o", "ControlPath=\(control)/%h", "-o", "ControlPersist=120"]
        }
        return options
    }

    private static func execute(
        _ script: String, on node: NodeName, netns: NamespaceName?, peer: Peer, access: [NodeName: LabNodeAccess],
        paths: LabPaths,
        control: String
    ) throws -> ProcessOutput {
        switch peer {
        case .opensshPerBlock, .opensshControlMaster:
            let shell = netns.map { ["ip", "netns", "exec", $0.rawValue, "bash", "-s"] } ?? ["bash", "-s"]
            return try ProcessRunner.run(
                ProcessEnvironment.which("ssh") ?? "/usr/bin/ssh",
                sshOptions(peer, paths: paths, control: control) + [node.rawValue] + shell,
                input: Array(script.utf8), timeout: .seconds(120))
        case .localNsenter, .localBatched:
            guard let target = access[node] else {
                throw SystemError(call: "nsenter", errno: 2, detail: "no node \(node)")
            }
            let ip = ProcessEnvironment.which("ip") ?? "/usr/sbin/ip"
            let shell = netns.map { [ip, "netns", "exec", $0.rawValue, "/bin/bash", "-s"] } ?? ["/bin/bash", "-s"]
            return try ProcessRunner.run(
                ProcessEnvironment.which("nsenter") ?? "/usr/bin/nsenter",
                ["--target", "\(target.pid)", "--net", "--mount", "--uts", "--"] + shell,
                input: Array(script.utf8), timeout: .seconds(120))
        }
    }
}
