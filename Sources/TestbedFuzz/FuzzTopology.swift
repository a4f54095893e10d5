import PlanModel

/// The topology plans, pages, scripts and sessions are read against: the Netsukuku proof of concept's eight
/// systems, loaded once from the repository's own file.
enum FuzzTopology {
    static let netsukuku: Topology = {
        // Sources/TestbedFuzz/FuzzTopology.swift → the repository root.
        let root = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        let path = root + "/topologies/netsukuku-poc/topology.yaml"
        do {
            return try TopologyLoader.load(path: path)
        } catch {
            fatalError("the fuzz harness needs \(path): \(error)")
        }
    }()
}
