import Foundation
import PlanModel
import Testing

/// Paths and loaded inputs the Netsukuku tests share.
enum NetsukukuTestSupport {
    /// The repository root, found from this source file.
    static func repositoryRoot(file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        return url
    }

    static func path(_ relative: String) -> String { repositoryRoot().appendingPathComponent(relative).path }

    /// A seed page of `shared/seeds`, found in the nearest ancestor of the repository that has one (the main
    /// checkout and the worktrees sit at different depths).
    static func seed(_ prefix: String) -> String {
        var directory = repositoryRoot().deletingLastPathComponent()
        while directory.path != "/" {
            let seeds = directory.appendingPathComponent("shared/seeds")
            if let names = try? FileManager.default.contentsOfDirectory(atPath: seeds.path),
                let name = names.sorted().first(where: { $0.hasPrefix(prefix) })
            {
                return seeds.appendingPathComponent(name).path
            }
            directory = directory.deletingLastPathComponent()
        }
        return "shared/seeds/\(prefix)-missing"
    }

    static let pointOfConcept: Topology = {
        do {
            return try TopologyLoader.load(path: path("topologies/netsukuku-poc/topology.yaml"))
        } catch {
            Issue.record("the netsukuku-poc topology does not load: \(error)")
            return Topology(name: "broken", nodes: [:], segments: [], sourcePath: "", contentHash: "")
        }
    }()

    /// The blocks of a seed page as imported (encodings repaired): (system, command lines) in page order.
    static func seedBlocks(_ prefix: String) throws -> [(node: String, lines: [String])] {
        let result = try PlanSource.load(path: seed(prefix), topology: pointOfConcept)
        return result.plan.steps.flatMap(\.blocks).map { ($0.node.rawValue, $0.commands.map(\.text)) }
    }
}
