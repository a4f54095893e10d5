import Foundation
public import PlanModel

/// Topologies the benchmarks build.
public enum BenchTopology {
    /// `count` nodes `n0…`, each with `eth1` (address 10.100.x.y/16 assigned by the lab) on one shared segment.
    /// - Parameter provider: A `provider:` value (`lxd`, `{kind: lxd, members: 2}`), or nil for namespaces.
    public static func segment(name: String, count: Int, directory: String, provider: String? = nil) throws -> Topology
    {
        var text = "name: \(name)\n" + (provider.map { "provider: \($0)\n" } ?? "") + "nodes:\n"
        for index in 0..<count {
            text += "  n\(index): {interfaces: {eth1: {addresses: [10.100.\(index / 250).\(index % 250 + 1)/16]}}}\n"
        }
        text += "links:\n  - endpoints: [" + (0..<count).map { "\"n\($0):eth1\"" }.joined(separator: ", ") + "]\n"
        let path = directory + "/\(name).yaml"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try TopologyLoader.load(path: path)
    }
}
