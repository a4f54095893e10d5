public import PlanModel

/// Where a resumed run picks up an earlier one: the units that were done, and for each unit that was in
/// flight (or failed), the command of its block it starts at. Journaled in the resumed run's `run_started`, so
/// a resumed run can itself be resumed.
public struct ResumePoint: Sendable, Hashable, Codable {
    /// A unit that starts again, at a given command of its block (0 for a check, or a block from its top).
    public struct Position: Sendable, Hashable, Codable, CustomStringConvertible {
        public var unit: Schedule.Unit
        /// The index, in `NodeBlock.commands`, of the first command to run.
        public var command: Int
        /// Where that command is in the plan, when the unit is a block that resumes mid-way.
        public var location: InputLocation?
        /// Why: what the node's state matched.
        public var reason: String

        public init(unit: Schedule.Unit, command: Int, location: InputLocation?, reason: String) {
            self.unit = unit
            self.command = command
            self.location = location
            self.reason = reason
        }

        public var description: String { "\(unit.node): \(reason)" }
    }

    /// The journal of the run resumed.
    public var journalPath: String
    /// The results of the units done before (each with `resume` saying so), in schedule order.
    public var carried: [UnitResult]
    /// Units that start again, with their first command.
    public var positions: [Position]

    public init(journalPath: String, carried: [UnitResult], positions: [Position]) {
        self.journalPath = journalPath
        self.carried = carried
        self.positions = positions
    }

    public var doneUnits: Set<Schedule.Unit> { Set(carried.map(\.unit)) }

    /// The first command each resumed unit starts at (only those past their first command).
    public var startCommands: [Schedule.Unit: Int] {
        Dictionary(positions.filter { $0.command > 0 }.map { ($0.unit, $0.command) }, uniquingKeysWith: { $1 })
    }
}
