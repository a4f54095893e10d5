import Foundation
import NodeAgentProtocol
public import PlanModel

/// Makes the faults of a plan happen and takes them away again. On the local lab it acts where the nodes
/// cannot see it — the switch namespace (ports down, netem on the port towards the node, nft bridge rules
/// between ports) and the node's processes (by membership of its network namespace) — so each node keeps
/// its own kernel state; on remote nodes it goes through the node's own `ip` and `tc`, and refuses what would
/// cut the path the run reaches the node by.
///
/// Every fault is written to the `FaultLedger` before it is made, with how to undo it.
public struct FaultInjector: Sendable {
    /// Where the faults act.
    public enum Place: Sendable {
        case lab(LabSummary, nsenter: String)
        case remote
    }

    public let topology: Topology
    public let place: Place
    public let ledger: FaultLedger
    /// Every node's channel (a segment fault on remote nodes, service faults, healing).
    public let channels: [NodeName: any NodeChannel]
    let services: ServiceRegistry

    public init(
        topology: Topology, place: Place, ledger: FaultLedger, channels: [NodeName: any NodeChannel],
        services: ServiceRegistry
    ) {
        self.topology = topology
        self.place = place
        self.ledger = ledger
        self.channels = channels
        self.services = services
    }

    /// A fault that could not be made (nothing of it is in place, or what is, is recorded).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Makes `fault` happen; returns what was done, one line each.
    /// - Throws: `Failure`.
    public func apply(_ fault: FaultStep) async throws(Failure) -> [String] {
        switch fault.action {
        case .heal:
            return await heal()
        case .signal(let signal, .service(let node, let name)):
            return try await signalService(signal, node: node, name: name)
        default:
            break
        }
        switch place {
        case .lab(let summary, let nsenter):
            return try LabFaults(topology: topology, summary: summary, nsenter: nsenter, ledger: ledger).apply(fault)
        case .remote:
            return try await RemoteFaults(topology: topology, ledger: ledger, channels: channels).apply(fault)
        }
    }

    /// Undoes every fault in the ledger, the latest first; returns what was done (and what could not be).
    public func heal() async -> [String] {
        let entries = ledger.entries()
        var done: [String] = []
        for entry in entries.reversed() {
            switch entry.undo {
            case .switchCommands(let commands):
                guard case .lab(let summary, let nsenter) = place else { continue }
                let labFaults = LabFaults(topology: topology, summary: summary, nsenter: nsenter, ledger: ledger)
                let failures = commands.compactMap { labFaults.runInSwitch($0) }
                done.append(
                    "healed \(entry.summary)" + (failures.isEmpty ? "" : " (\(failures.joined(separator: "; ")))"))
            case .continueLabNode(let node, let inode):
                let count = LabFaults.signalMembers(of: inode, SIGCONT)
                done.append("healed \(entry.summary) (SIGCONT to \(count) processes of \(node))")
            case .nodeScript(let node, let script):
                let outcome = await RemoteFaults.run(script, on: channels[node])
                done.append("healed \(entry.summary)" + (outcome.map { " (\($0))" } ?? ""))
            case .none:
                done.append("\(entry.summary): cannot be undone")
            }
        }
        try? ledger.write([])
        return done
    }

    /// Heals what `lab down` would leave behind on the host: paused lab nodes (SIGCONT), then drops the ledger.
    /// The switch namespace goes away with the lab, and its faults with it.
    public static func forgetLab(topology name: String, stateRoot: String) -> [String] {
        let ledger = FaultLedger(topology: name, stateRoot: stateRoot)
        var done: [String] = []
        for entry in ledger.entries() {
            if case .continueLabNode(let node, let inode) = entry.undo {
                done.append("resumed \(node) (\(LabFaults.signalMembers(of: inode, SIGCONT)) processes)")
            }
        }
        try? ledger.write([])
        return done
    }

    private func signalService(_ signal: FaultSignal, node: NodeName, name: ServiceName) async throws(Failure)
        -> [String]
    {
        guard let pid = services.all.last(where: { $0.node == node && $0.name == name })?.pid else {
            throw Failure("service \(name) on \(node) was not started by this run (or has no process id)")
        }
        let (number, word) =
            switch signal {
            case .kill: ("KILL", "killed")
            case .pause: ("STOP", "paused")
            case .resume: ("CONT", "resumed")
            }
        do {
            if signal == .pause {
                try ledger.add(
                    .init(
                        summary: "service \(name) on \(node) paused",
                        undo: .nodeScript(node, "kill -s CONT -- -\(pid)"),
                        appliedAt: Date()))
            } else {
                try ledger.remove { $0.summary == "service \(name) on \(node) paused" }
            }
        } catch {
            throw Failure("cannot record the fault in \(ledger.path): \(error)")
        }
        if let problem = await RemoteFaults.run("kill -s \(number) -- -\(pid)", on: channels[node]) {
            throw Failure("signalling service \(name) on \(node) failed: \(problem)")
        }
        return ["service \(name) on \(node) \(word) (process group \(pid))"]
    }
}
