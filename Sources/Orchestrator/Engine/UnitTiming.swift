/// Where a unit's time went, as the orchestrator saw it: what `testbed bench` breaks a run's time down by.
public struct UnitTiming: Sendable, Hashable, Codable {
    /// Seconds the state model took to predict the block's outcome and choose the state queries.
    public var prediction: Double = 0
    /// Seconds from sending the request to having its answer: transport, the agent, the block or the pings,
    /// and the state dumps after a block.
    public var roundTrip: Double = 0
    /// Seconds judging the answer: exit status, the dumps parsed and compared with the prediction.
    public var judgement: Double = 0
    /// State queries asked after the block.
    public var stateQueries = 0
    /// The same by kind (`routes`, `iptables:table` for one table, `@ns` inside a named namespace); nil in
    /// records written before it was kept.
    public var stateQueryKinds: [String: Int]?
    /// Reach checks answered by this unit's one ping request (its own and the later ones of its group, see
    /// `ReachGrouping`); nil for a request of its own.
    public var groupedChecks: Int?

    public init() {}
}
