import Netsukuku

/// One system of the generated workload: its identity, NIC facts, neighbours and forwarding tables.
struct WorkloadSystem {
    let name: String
    let address: NetsukukuAddress
    let mac: String
    let linkLocal: String
    var neighbours: [String] = []
    /// Forwarding table number of each neighbour (by name), allocated like the program does.
    var tableNumbers: [String: Int] = [:]
    /// Numbers in use in this system's rt_tables (251 is ntk).
    var usedNumbers: Set<Int> = [251]

    /// The highest free number ≤ 250, as the proof of concept allocates (domain.md §1.6).
    mutating func allocateTable() -> Int {
        let number = stride(from: 250, through: 1, by: -1).first { !usedNumbers.contains($0) } ?? 1
        usedNumbers.insert(number)
        return number
    }

    mutating func freeTable(_ number: Int) { usedNumbers.remove(number) }

    /// Facts of the proof of concept (domain.md §1.1, §1.3): final principal addresses, MACs, link-locals.
    static let pointOfConcept: [WorkloadSystem] = [
        WorkloadSystem(
            name: "alfa", address: .poc("2·0·1·0"), mac: "00:16:3E:FD:E2:AA", linkLocal: "169.254.69.30"),
        WorkloadSystem(
            name: "beta", address: .poc("2·0·1·1"), mac: "00:16:3E:EC:A3:E1", linkLocal: "169.254.96.141"),
        WorkloadSystem(
            name: "gamma", address: .poc("2·0·0·0"), mac: "00:16:3E:5B:78:D5", linkLocal: "169.254.94.223"),
        WorkloadSystem(
            name: "delta", address: .poc("2·1·0·1"), mac: "00:16:3E:1A:C4:45", linkLocal: "169.254.253.216"),
        WorkloadSystem(
            name: "epsilon", address: .poc("2·0·0·1"), mac: "00:16:3E:3C:14:33", linkLocal: "169.254.163.36"
        ),
        WorkloadSystem(
            name: "mu", address: .poc("2·1·0·0"), mac: "00:16:3E:2D:8D:DE", linkLocal: "169.254.119.176"),
        WorkloadSystem(
            name: "lambda", address: .poc("2·1·1·0"), mac: "00:16:3E:06:3E:90", linkLocal: "169.254.109.22"),
    ]

    /// The arcs of the script, in its order (domain.md §1.4).
    static let arcs: [(String, String)] = [
        ("beta", "gamma"), ("mu", "delta"), ("delta", "gamma"), ("alfa", "beta"), ("epsilon", "beta"),
        ("lambda", "epsilon"),
        ("gamma", "epsilon"),
    ]

    /// Extra identities for namespace churn: (system, namespace, MAC, link-local), from domain.md §1.2.
    static let identities: [(String, String, String, String)] = [
        ("beta", "entr02", "00:16:3E:8E:91:B9", "169.254.215.29"),
        ("mu", "entr01", "00:16:3E:71:33:12", "169.254.101.161"),
        ("delta", "entr03", "00:16:3E:B9:77:80", "169.254.83.167"),
        ("alfa", "entr04", "00:16:3E:78:18:0B", "169.254.202.128"),
        ("epsilon", "entr05", "00:16:3E:13:28:B2", "169.254.133.31"),
        ("lambda", "entr06", "00:16:3E:FC:CA:2C", "169.254.34.45"),
    ]
}

extension NetsukukuAddress {
    /// An address of the documentation, written top level first (`2·0·1·0`).
    fileprivate static func poc(_ text: String) -> NetsukukuAddress {
        NetsukukuAddress(ids: text.split(separator: "·").compactMap { Int($0) }.reversed())
    }
}
