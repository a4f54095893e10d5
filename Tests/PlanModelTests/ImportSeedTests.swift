import Testing

@testable import PlanModel

/// The five seed pages of `shared/seeds`: what each imports into, what was repaired, what was inferred.
@Suite struct ImportSeedTests {
    struct NodeShape: Hashable, CustomStringConvertible {
        var node: String
        var blocks: Int
        var commands: Int
        var description: String { "\(node): \(blocks) blocks, \(commands) commands" }
    }

    struct Expected {
        var steps: Int
        var nodes: [NodeShape]
        var damage: EncodingRepair.Damage?
        var repaired: String
        var inferred: [String]
    }

    /// Counted by hand from the seeds (system lines, fence lines, commands between them).
    static let expected: [String: Expected] = [
        "000": Expected(
            steps: 4, nodes: [NodeShape(node: "epsilon", blocks: 1, commands: 108)], damage: .windows1254,
            repaired: "à 8, 𝜀 7, 𝛽 2, è 2, 𝜆 2, 𝜑 1, 𝜔 1", inferred: []),
        "001": Expected(
            steps: 4,
            nodes: [
                NodeShape(node: "beta", blocks: 3, commands: 261), NodeShape(node: "alfa", blocks: 2, commands: 62),
                NodeShape(node: "gamma", blocks: 2, commands: 80), NodeShape(node: "epsilon", blocks: 2, commands: 29),
            ], damage: .macRoman, repaired: "à 10, 𝛽 4, 𝛼 3, 𝛾 3, 𝜀 2", inferred: []),
        "002": Expected(
            steps: 7,
            nodes: [
                NodeShape(node: "epsilon", blocks: 6, commands: 134), NodeShape(node: "beta", blocks: 4, commands: 24),
            ], damage: nil, repaired: "", inferred: []),
        "003": Expected(
            steps: 3,
            nodes: [
                NodeShape(node: "epsilon", blocks: 1, commands: 1), NodeShape(node: "beta", blocks: 1, commands: 1),
            ],
            damage: .gb2312, repaired: "· 44, è 3, é 1", inferred: ["57 epsilon", "62 beta"]),
        "004": Expected(
            steps: 2,
            nodes: [
                NodeShape(node: "delta", blocks: 2, commands: 59), NodeShape(node: "mu", blocks: 2, commands: 40),
                NodeShape(node: "gamma", blocks: 2, commands: 56), NodeShape(node: "beta", blocks: 1, commands: 36),
            ], damage: .windows1254, repaired: "𝛿 6, à 6, 𝛾 5, 𝜇 3, 𝛽 2, 𝜒 1", inferred: []),
    ]

    static func load(_ prefix: String) throws -> ImportResult {
        try PlanSource.load(path: ImportTestSupport.seed(prefix), topology: ImportTestSupport.netsukuku)
    }

    @Test(
        "each seed imports with the right systems, blocks and commands per node",
        arguments: ImportTestSupport.seedPrefixes)
    func systemsAndBlocks(prefix: String) throws {
        let result = try Self.load(prefix)
        let expected = try #require(Self.expected[prefix])
        #expect(result.plan.sourceKind == .page)
        #expect(result.plan.steps.count == expected.steps)
        #expect(
            result.report.nodes.map { NodeShape(node: $0.node.rawValue, blocks: $0.blocks, commands: $0.commands) }
                == expected.nodes)
        #expect(result.report.blocks == expected.nodes.reduce(0) { $0 + $1.blocks })
        #expect(result.report.checks == 0)
        #expect(result.report.repair?.damage == expected.damage)
        #expect((result.report.repair?.repairedList ?? "") == expected.repaired)
        #expect(result.report.inferences.map { "\($0.location.line) \($0.node)" } == expected.inferred)
        #expect(result.report.warnings.isEmpty)
    }

    @Test("seed 003 lost its system names; the link-local src of each route names the system")
    func inferredSystems() throws {
        let result = try Self.load("003")
        let blocks = result.plan.steps.flatMap(\.blocks)
        #expect(blocks.map(\.node) == ["epsilon", "beta"])
        #expect(blocks.map(\.label) == ["𝜀", "𝛽"])
        #expect(
            result.report.inferences.flatMap(\.evidence).map(\.description) == [
                "line 59: src 169.254.163.36 is an address of epsilon in the topology → epsilon",
                "line 59: a route to the peer 169.254.96.141, an address of beta in the topology → not beta",
                "line 64: src 169.254.96.141 is an address of beta in the topology → beta",
                "line 64: a route to the peer 169.254.163.36, an address of epsilon in the topology → not epsilon",
            ])
        let repair = try #require(result.report.repair)
        #expect(
            repair.losses == [
                "35 Greek letters (or other characters outside GB2312) where the text shows a gap: 2 system names, "
                    + "33 in prose ('** (', '*<sub>1</sub>*', '<sub></sub>'); system names are inferred from the blocks, "
                    + "the rest cannot be recovered",
                "every 'à' and other character whose UTF-8 bytes are no GB2312 pair, without a trace "
                    + "('identità' reads 'identit'); their number cannot be known from the text",
            ])
    }

    @Test("the report of seed 000 says which encoding, how many characters and which")
    func reportText() throws {
        let result = try Self.load("000")
        let lines = result.report.text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix(": 4 steps, 1 block, 108 commands, 0 checks") == true)
        #expect(
            Array(lines.dropFirst()) == [
                "  epsilon: 1 block, 108 commands",
                "encoding: UTF-8 read as Windows-1254, undefined bytes dropped; repaired 23 characters on 12 lines: "
                    + "à 8, 𝜀 7, 𝛽 2, è 2, 𝜆 2, 𝜑 1, 𝜔 1",
            ])
        #expect(result.plan.title == "Proof of concept - Dettagli Operazioni - Pagina 12")
        #expect(result.plan.steps[0].heading?.anchor == "Migrazione_ingresso_2")
        #expect(result.plan.steps[3].title == "Migrazione: Spostamento delle rotte della vecchia identità")
    }

    @Test(
        "rendering a seed reproduces each command block byte for byte and imports back into the same plan",
        arguments: ImportTestSupport.seedPrefixes)
    func roundTrip(prefix: String) throws {
        let result = try Self.load(prefix)
        let page = PageRenderer.render(result.plan, topology: ImportTestSupport.netsukuku)
        let original = EncodingRepairer.repair(ImportTestSupport.text(ImportTestSupport.seed(prefix))).text
        #expect(ImportTestSupport.systemFences(page) == ImportTestSupport.systemFences(original))
        #expect(ImportTestSupport.systemFences(page).count == result.report.blocks)
        let again = try PageImporter.parse(text: page, path: "render.md", topology: ImportTestSupport.netsukuku)
        #expect(again.plan.withoutLocations() == result.plan.withoutLocations())
        #expect(again.report.repair == nil)
        #expect(again.report.inferences.isEmpty)
    }

    @Test(
        "a seed written as YAML reads back into the plan's YAML-representable part",
        arguments: ImportTestSupport.seedPrefixes)
    func yamlRoundTrip(prefix: String) throws {
        let result = try Self.load(prefix)
        let yaml = PlanYAMLWriter.write(result.plan, topology: ImportTestSupport.netsukuku)
        let back = try PlanLoader.parse(text: yaml, path: "plan.yaml", topology: ImportTestSupport.netsukuku)
        #expect(
            back.withoutLocations()
                == PlanYAMLWriter.representable(result.plan, topology: ImportTestSupport.netsukuku).withoutLocations())
        #expect(back.counts.commands == result.plan.counts.commands)
    }
}
