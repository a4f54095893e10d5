import PlanModel

/// One system as the compiler tracks it: its eth1 facts, its start, and its `/etc/iproute2/rt_tables`.
struct SystemState: Sendable, Hashable {
    var name: String
    /// The topology node it runs on (the plan's name for it).
    var node: NodeName
    var config: ScenarioSystem
    var nic: NIC
    var isStarted = false
    /// Table names registered in `rt_tables` (shared by every namespace of the system) and their numbers.
    var tableNumbers: [String: Int] = [:]
    /// The position of the system in the topology (orders blocks and peer routes as the pages do).
    var order: Int

    /// The number of the main table.
    static let ntkNumber = 251
    /// Forwarding tables take the highest free number from here down (domain.md §1.6).
    static let firstForwardingNumber = 250

    /// The number a table name has, registering it with the highest free number when it is new.
    /// - Returns: the number, and whether the name is new (so a `tee` line must register it).
    mutating func register(_ name: String) -> (number: Int, isNew: Bool) {
        if let number = tableNumbers[name] { return (number, false) }
        let used = Set(tableNumbers.values)
        let number =
            stride(from: Self.firstForwardingNumber, through: 1, by: -1).first { !used.contains($0) } ?? 1
        tableNumbers[name] = number
        return (number, true)
    }

    mutating func unregister(_ name: String) { tableNumbers[name] = nil }
}

/// A physical arc between two systems.
struct PhysicalArc: Sendable, Hashable {
    var systems: [String]
    var cost: Int

    func joins(_ a: String, _ b: String) -> Bool { Set(systems) == Set([a, b]) }
}
