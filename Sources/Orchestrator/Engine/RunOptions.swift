/// How a run behaves.
public struct RunOptions: Sendable {
    /// After a failure, keep running the other nodes' units (the failed node's later units are skipped).
    public var keepGoing: Bool
    /// The longest a single block may run before the agent stops it.
    public var blockTimeout: Duration
    /// Run consecutive `ip` commands of a block in one `ip -batch` (see `BlockCompiler`).
    public var batching: Bool
    /// Names this run's services on the nodes (`/run/testbed/services/RUN/…`): letters, digits, `-`, `_`.
    public var runID: String = "run"
    /// Where whole outputs longer than a result's tails are kept (the run directory); nil keeps only tails.
    public var outputDirectory: String?
    /// Send a node's consecutive reach checks of one stage as one ping request (see `ReachGrouping`).
    public var groupsReachChecks = true

    public init(keepGoing: Bool = false, blockTimeout: Duration = .seconds(300), batching: Bool = true) {
        self.keepGoing = keepGoing
        self.blockTimeout = blockTimeout
        self.batching = batching
    }
}
