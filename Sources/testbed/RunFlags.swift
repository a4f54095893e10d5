public import ArgumentParser
import Orchestrator
public import PlanModel

/// The options `run` and `replay` share.
struct RunFlags: ParsableArguments {
    @Option(
        name: .long,
        help: """
            document: the plan's order exactly; parallel: nodes concurrently between checks and barriers (refused \
            unless the state model shows it ends in the same state); auto: parallel when shown, else document.
            """)
    var schedule: ScheduleDecision.Choice = .auto
    @Option(name: .long, help: "After each block compare the kernel state with the model: fail, warn or off.")
    var stateCheck: StateCheckMode = .fail
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The system of the block at a page line, when the import cannot tell.", valueName: "LINE=NODE"))
    var assume: [String] = []
    @Flag(name: .long, help: "Print the schedule and stop, without connecting.")
    var dryRun = false
    @Flag(name: .long, help: "After a failure, go on with the nodes that did not fail.")
    var keepGoing = false
    @Option(name: .long, help: "Start at this step (id or number).")
    var from: String?
    @Option(name: .long, help: "Stop after this step (id or number).")
    var to: String?
    @Flag(name: .long, help: "Print events as JSON lines on stdout (the summary goes to stderr).")
    var json = false
    @Option(name: .long, help: "Write JUnit XML here.")
    var junit: String?
    @Option(name: .long, help: "Write the HTML report here at the end (also when a unit failed).")
    var html: String?
    @Flag(
        name: .long, help: "Capture packets (tcpdump) on the local lab's segments; pcap files go to the run directory.")
    var pcap = false
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Capture only on this segment (name, bridge seg0… or number from 1); repeatable; implies --pcap.",
            valueName: "SEGMENT"))
    var pcapSegment: [String] = []
    @Option(name: .long, help: "For lab nodes: ssh (default) or local (nsenter, no SSH).")
    var transport: Fleet.LabTransport = .ssh
    @Option(name: .long, help: "Seconds a block may run before it is stopped.")
    var blockTimeout: Double = 300
    @Option(name: .long, help: "Directory for the run's journal (default: a new one under TESTBED_HOME/runs/TOPOLOGY).")
    var runDir: String?
    @Flag(
        name: .long,
        help:
            "Run every line as written: no ip -batch, no iptables-restore, no builtin forms of sysctl and tee appends."
    )
    var noBatch = false
    @Flag(
        name: .long,
        help:
            "Run even when the plan would take a remote node's SSH path away (a route, rule, address or iptables rule)."
    )
    var allowManagementChange = false

    func validate() throws {
        _ = try ImportCommand.assumptions(assume)
        guard blockTimeout > 0 else { throw ValidationError("--block-timeout must be positive") }
    }

    /// The settings of the run session, from the flags.
    func settings(fresh: Bool) -> RunSettings {
        var settings = RunSettings()
        settings.schedule = schedule
        settings.stateCheck = stateCheck
        settings.options = RunOptions(
            keepGoing: keepGoing, blockTimeout: .milliseconds(Int(blockTimeout * 1000)), batching: !noBatch)
        settings.from = from
        settings.to = to
        settings.fresh = fresh
        settings.labTransport = transport
        settings.runDirectory = runDir
        settings.junitPath = junit
        settings.allowManagementChange = allowManagementChange
        settings.htmlPath = html
        settings.captureSegments = pcap || !pcapSegment.isEmpty ? pcapSegment : nil
        return settings
    }
}

extension StateCheckMode: ExpressibleByArgument {}
extension NamespaceName: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
}
extension Fleet.LabTransport: ExpressibleByArgument {}
extension ScheduleDecision.Choice: ExpressibleByArgument {}
