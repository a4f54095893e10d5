/// How a run behaves.
public struct RunOptions: Sendable {
    /// After a failure, keep running the other nodes' units (the failed node's later units are skipped).
    public var keepGoing: Bool
    /// The longest a single block may run before the agent stops it.
    public var blockTimeout: Duration

    public init(keepGoing: Bool = false, blockTimeout: Duration = .seconds(300)) {
        self.keepGoing = keepGoing
        self.blockTimeout = blockTimeout
    }
}
