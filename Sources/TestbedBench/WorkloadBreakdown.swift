import NodeAgentProtocol
public import Orchestrator
public import PlanModel

/// Where the workload run's time went, from the per-unit timings of a run with state checks and one without.
/// Sums are over units: nodes run in parallel, so a sum can exceed the run's wall time.
public struct WorkloadBreakdown: Sendable {
    public var blocks = 0
    public var checks = 0
    /// Requests answered by agents during the run (blocks and reach checks; connecting and the first state
    /// dump are `setupSeconds`).
    public var roundTrips = 0
    public var roundTripSeconds = 0.0
    /// The blocks' own time on their nodes, as the agents measured it.
    public var blockSeconds = 0.0
    /// `ip` processes the blocks start: one per `ip -batch` and one per `ip` line left alone.
    public var ipProcesses = 0
    public var ipLines = 0
    /// `iptables` processes the blocks start: one per `iptables-restore` run and one per line left alone.
    public var iptablesProcesses = 0
    public var iptablesLines = 0
    public var pings = 0
    /// Ping requests the checks took: fewer than `checks` when a node's checks of one stage share one.
    public var pingRequests = 0
    public var pingSeconds = 0.0
    public var stateQueries = 0
    /// `stateQueries` by kind (see `UnitTiming.stateQueryKinds`).
    public var stateQueryKinds: [String: Int] = [:]
    /// Round trip minus the block's own time, summed over blocks: transport, the agent and the state dumps.
    public var outsideBlockSeconds = 0.0
    /// The same in the run without state checks: transport and the agent alone.
    public var outsideBlockWithoutChecks: Double?
    public var predictionSeconds = 0.0
    public var judgementSeconds = 0.0
    public var setupSeconds = 0.0
    public var wallSeconds = 0.0
    /// CPU seconds of the testbed process (all threads) during the run, when measured.
    public var testbedCPU: Double?

    public init(plan: Plan, report: RunReport, withoutChecks: RunReport?) {
        for block in plan.steps.flatMap(\.blocks) {
            let compiled = BlockCompiler().compile(block.lines.map(\.text))
            ipProcesses += compiled.batchCount
            ipLines += block.commands.filter { $0.text.hasPrefix("ip ") }.count
            ipProcesses += block.commands.filter { $0.text.hasPrefix("ip ") }.count - compiled.batchedCommands
            let iptables = block.commands.filter { Self.runsIptables($0.text) }.count
            iptablesLines += iptables
            iptablesProcesses += iptables - compiled.iptablesBatchedCommands + compiled.iptablesBatchCount
        }
        wallSeconds = report.seconds
        setupSeconds = report.setupSeconds
        for result in report.results {
            if result.kind == .reach, result.status != .skipped {
                checks += 1
                pings += result.pings.count
            }
            guard let timing = result.timing else { continue }
            roundTrips += 1
            roundTripSeconds += timing.roundTrip
            predictionSeconds += timing.prediction
            judgementSeconds += timing.judgement
            stateQueries += timing.stateQueries
            stateQueryKinds.merge(timing.stateQueryKinds ?? [:], uniquingKeysWith: +)
            switch result.kind {
            case .block:
                blocks += 1
                blockSeconds += result.remoteSeconds ?? 0
                outsideBlockSeconds += max(0, timing.roundTrip - (result.remoteSeconds ?? 0))
            case .reach:
                pingRequests += 1
                pingSeconds += timing.roundTrip
            default: break
            }
        }
        outsideBlockWithoutChecks = withoutChecks.map { other in
            other.results.reduce(0) { total, result in
                guard result.kind == .block, let timing = result.timing else { return total }
                return total + max(0, timing.roundTrip - (result.remoteSeconds ?? 0))
            }
        }
    }

    /// True for `iptables …` and `ip netns exec NS iptables …` lines.
    static func runsIptables(_ line: String) -> Bool {
        let words = line.split(separator: " ", maxSplits: 5)
        return words.first == "iptables"
            || (words.starts(with: ["ip", "netns", "exec"]) && words.count > 4 && words[4] == "iptables")
    }
}
