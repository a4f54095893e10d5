import Foundation
import PlanModel
import Testing

/// The checker and the prior-state synthesis on the five seed pages (shared/seeds), imported with the
/// project's importer and the netsukuku-poc topology.
@Suite("check and replay on the seed pages")
struct CheckerSeedTests {
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    static let seedsDirectory = ImportTestSupport.seedsDirectory.path

    static func topology() throws -> Topology {
        try TopologyLoader.load(path: repository.appendingPathComponent("topologies/netsukuku-poc/topology.yaml").path)
    }

    static func seed(_ prefix: String) throws -> Plan {
        let names = try FileManager.default.contentsOfDirectory(atPath: seedsDirectory)
        let name = try #require(names.first { $0.hasPrefix(prefix) })
        let path = seedsDirectory + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try PlanSource.parse(text: text, path: name, topology: try topology(), format: .page).plan
    }

    @Test(
        "every seed replays with a synthesised prior state and no command left failing",
        .enabled(if: SeedPages.mustRun, SeedPages.skipReason),
        arguments: ["000", "001", "002", "003", "004"])
    func seedReplays(prefix: String) throws {
        try SeedPages.require()
        let plan = try Self.seed(prefix)
        let topology = try Self.topology()
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(plan)
        let report = PlanChecker(topology: topology, initialStates: synthesis.states).check(plan)
        print("seed \(prefix):\n" + synthesis.summary)
        for finding in report.findings { print("  \(finding)") }
        #expect(report.failures.isEmpty, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.notModelled.isEmpty, "\(report.notModelled.map(\.description).joined(separator: "\n"))")
        #expect(synthesis.unresolved.isEmpty)
    }
}
