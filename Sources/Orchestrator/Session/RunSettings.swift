public import PlanModel

/// What a run is asked to do, beyond the topology and the plan: the options of `testbed run`.
public struct RunSettings: Sendable {
    public var schedule: ScheduleDecision.Choice = .auto
    public var stateCheck: StateCheckMode = .fail
    public var options = RunOptions()
    /// Only the steps from `from` through `to` (ids or 1-based numbers).
    public var from: String?
    public var to: String?
    /// Take the lab down and bring it up again first (documented sequences only work on fresh systems).
    public var fresh = false
    public var labTransport: Fleet.LabTransport = .ssh
    /// Where the run's files go; nil: a new directory under `<stateRoot>/runs/<topology name>/`.
    public var runDirectory: String?
    /// Also write a JUnit report here.
    public var junitPath: String?
    /// Also write the HTML report here (at the end, also when a unit failed).
    public var htmlPath: String?
    /// Capture packets on these segments of the local lab (names, bridges or numbers; empty: every
    /// segment); nil: no capture.
    public var captureSegments: [String]?
    /// Where labs and runs are kept (`TESTBED_HOME`).
    public var stateRoot = LabPaths.defaultRoot
    /// Continue an earlier run of the plan instead of starting from its first step.
    public var resume: ResumeTarget?
    /// Heal the faults the run injected when it ends (the default); tests of the faults themselves may keep them.
    public var healFaultsAtEnd = true

    /// Which run `--resume` continues.
    public enum ResumeTarget: Sendable, Hashable {
        /// The latest run of the same plan on the same lab or cluster.
        case latest
        /// A run directory, its journal, or its directory's name under the topology's runs.
        case run(String)
    }
    /// Run even when the plan would cut a node's management path (`--allow-management-change`).
    public var allowManagementChange = false

    public init() {}
}
