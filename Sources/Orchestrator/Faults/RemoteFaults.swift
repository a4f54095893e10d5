import Foundation
import NodeAgentProtocol
import PlanModel

/// The faults of remote nodes, through each node's own `ip` and `tc`. A fault that would cut the path the
/// run reaches the node by — its SSH connection's interface taken down, or every packet on it dropped — is
/// refused; so are faults that need a hypervisor or a switch (a whole node killed or paused, a partition).
struct RemoteFaults {
    let topology: Topology
    let ledger: FaultLedger
    let channels: [NodeName: any NodeChannel]

    /// The interface the node's SSH connection comes in on (from `$SSH_CONNECTION`), or nothing.
    static let managementInterface = """
        set -- ${SSH_CONNECTION-}; [ -n "${1-}" ] || exit 0
        ip -o route get "$1" 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p'
        """

    func apply(_ fault: FaultStep) async throws(FaultInjector.Failure) -> [String] {
        switch fault.action {
        case .linkDown(let link), .linkUp(let link):
            let down = if case .linkDown = fault.action { true } else { false }
            let endpoints =
                link.wholeSegment
                ? topology.segment(of: link.endpoint.node, interface: link.endpoint.interface)?.endpoints ?? []
                : [link.endpoint]
            var done: [String] = []
            for endpoint in endpoints {
                if down { try await refuseManagement(endpoint, "taking it down") }
                let interface = ShellWords.quote(endpoint.interface)
                try record(
                    down ? "link down \(endpoint)" : nil,
                    undo: .nodeScript(endpoint.node, "ip link set \(interface) up"),
                    forgetting: "link down \(endpoint)")
                if let problem = await Self.run(
                    "ip link set \(interface) \(down ? "down" : "up")", on: channels[endpoint.node])
                {
                    throw .init("setting \(endpoint) \(down ? "down" : "up") failed: \(problem)")
                }
                done.append("\(endpoint) \(down ? "down" : "up")")
            }
            return done
        case .netem(let endpoint, let settings):
            let interface = ShellWords.quote(endpoint.interface)
            if settings?.dropsEverything == true { try await refuseManagement(endpoint, "dropping every packet on it") }
            try record(
                settings.map { "netem on \(endpoint): \($0)" },
                undo: .nodeScript(endpoint.node, "tc qdisc del dev \(interface) root"),
                forgetting: "netem on \(endpoint)")
            let script =
                settings.map { "tc qdisc replace dev \(interface) root netem \($0.arguments.joined(separator: " "))" }
                ?? "tc qdisc del dev \(interface) root 2>/dev/null; true"
            if let problem = await Self.run(script, on: channels[endpoint.node]) {
                throw .init("netem on \(endpoint) failed: \(problem)")
            }
            return [settings.map { "netem \($0) on what \(endpoint) sends" } ?? "netem off on \(endpoint)"]
        case .partition:
            throw .init(
                "a partition of remote nodes is not supported yet: it needs the segment's switch (the local lab has one)"
            )
        case .signal(let signal, .node(let node)):
            throw .init(
                "\(signal.rawValue) of the whole remote node \(node) would cut the path the run reaches it by; "
                    + "name one of its services instead")
        case .signal, .heal:
            return []
        }
    }

    private func refuseManagement(_ endpoint: Endpoint, _ what: String) async throws(FaultInjector.Failure) {
        guard let channel = channels[endpoint.node] else { throw .init("no connection to \(endpoint.node)") }
        let request = NodeRequest.RunRequest(script: Self.managementInterface, timeout: .seconds(10))
        guard let run = try? await channel.run(request, timeout: .seconds(20)) else {
            throw .init("cannot tell which interface \(endpoint.node)'s SSH connection uses; refused")
        }
        let interface = run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        if interface == endpoint.interface {
            throw .init(
                "refused: \(endpoint) carries the SSH connection testbed reaches \(endpoint.node) by; \(what) would cut it"
            )
        }
    }

    private func record(_ summary: String?, undo: FaultLedger.Undo, forgetting old: String) throws(FaultInjector
        .Failure)
    {
        do {
            try ledger.remove { $0.summary.hasPrefix(old) }
            if let summary { try ledger.add(.init(summary: summary, undo: undo, appliedAt: Date())) }
        } catch {
            throw .init("cannot record the fault in \(ledger.path): \(error)")
        }
    }

    /// Runs a script through a node's agent; returns what went wrong, or nil.
    static func run(_ script: String, on channel: (any NodeChannel)?) async -> String? {
        guard let channel else { return "no connection" }
        let request = NodeRequest.RunRequest(script: script, timeout: .seconds(20), stopAtFirstFailure: true)
        do {
            let run = try await channel.run(request, timeout: .seconds(35))
            return run.isSuccess
                ? nil : "status \(run.exitStatus): \(run.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))"
        } catch {
            return "\(error)"
        }
    }
}
