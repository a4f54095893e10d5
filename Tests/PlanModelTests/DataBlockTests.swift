import Testing

@testable import PlanModel

/// Blocks under a system line that list data (interface tables) instead of commands.
@Suite struct DataBlockTests {
    let topology = ImportTestSupport.netsukuku

    func page() throws -> ImportResult {
        try PageImporter.parse(
            text: ImportTestSupport.text(ImportTestSupport.fixture("pages/interfaces.md")), path: "interfaces.md",
            topology: topology)
    }

    @Test("an interface table under a system line is kept, reported and never run")
    func tableIsData() throws {
        let result = try page()
        #expect(result.plan.counts.blocks == 2)
        #expect(result.plan.counts.commands == 9)
        #expect(!result.plan.steps.flatMap(\.blocks).flatMap(\.lines).contains { $0.text.hasPrefix("eth1") })
        #expect(
            result.report.dataBlocks.map(\.summary) == [
                "interfaces.md:7: 𝛼 → alfa: 1 row of data (169.254.69.30 00:16:3E:FD:E2:AA)",
                "interfaces.md:13: 𝛽 → beta: 3 rows of data (169.254.96.141 169.254.215.29 00:16:3E:EC:A3:E1 00:16:3E:8E:91:B9)",
                "interfaces.md:21: name lost → gamma: 1 row of data (169.254.94.223 00:16:3E:5B:78:D5)",
            ])
        #expect(result.report.text.contains("data blocks (kept as they are, never run):\n  interfaces.md:7: 𝛼 → alfa"))
        #expect(result.report.warnings.isEmpty)
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(result.plan)
        #expect(synthesis.items.values.flatMap { $0 }.allSatisfy { !$0.neededBy.hasPrefix("eth1") })
    }

    @Test("the table's addresses and MACs tell the system of a block whose name was lost")
    func tableIsEvidence() throws {
        let result = try page()
        let blocks = result.plan.steps.flatMap(\.blocks)
        #expect(blocks.map(\.node) == ["beta", "beta"])
        #expect(
            result.report.inferences.map(\.summary) == [
                [
                    "interfaces.md:21: name lost → gamma",
                    "    line 24: lists 169.254.94.223, an address of gamma → gamma",
                    "    line 24: lists 00:16:3E:5B:78:D5, the MAC of gamma → gamma",
                ],
                [
                    "interfaces.md:37: name lost → beta",
                    "    line 42: sets its MAC to 00:16:3E:8E:91:B9, the MAC of beta → beta",
                    "    line 45: src 169.254.215.29 is added earlier by beta → beta",
                    "    line 45: a route to the peer 169.254.94.223, an address of gamma in the topology → not gamma",
                ],
            ])
        // Without the tables the block's system cannot be told.
        var text = ImportTestSupport.text(ImportTestSupport.fixture("pages/interfaces.md"))
        text = text.replacingOccurrences(of: "entr02_eth1  00:16:3E:8E:91:B9   169.254.215.29\n", with: "")
        #expect(throws: InputErrors.self) { try PageImporter.parse(text: text, path: "p.md", topology: topology) }
    }

    @Test("a page with data blocks renders back byte for byte and imports into the same plan")
    func roundTrip() throws {
        let text = ImportTestSupport.text(ImportTestSupport.fixture("pages/interfaces.md"))
        let result = try page()
        let rendered = PageRenderer.render(result.plan, topology: topology)
        // The lost names of command blocks are written as the inferred system; everything else is as it was.
        #expect(
            rendered
                == text.replacingOccurrences(
                    of: "**sistema **\n```\nip netns add", with: "**sistema 𝛽**\n```\nip netns add"))
        let again = try PageImporter.parse(text: rendered, path: "r.md", topology: topology)
        #expect(again.plan.withoutLocations() == result.plan.withoutLocations())
        #expect(again.report.dataBlocks.count == 3)
    }

    @Test("what is data and what is a command")
    func shapes() {
        #expect(DataBlock.isData(["eth1         00:16:3E:FD:E2:AA   169.254.69.30"]))
        #expect(DataBlock.isData(["169.254.69.30", "169.254.96.141"]))
        #expect(DataBlock.isData(["| eth1 | 00:16:3E:FD:E2:AA |"]))
        #expect(DataBlock.isData(["Interface   MAC", "lo          00:00:00:00:00:00"]))
        #expect(!DataBlock.isData(["ip link set dev eth1 up"]))
        #expect(!DataBlock.isData(["eth1  00:16:3E:FD:E2:AA", "ip link set dev eth1 up"]))
        #expect(!DataBlock.isData(["brctl addbr br0"]))
        #expect(!DataBlock.isData(["A=1 ip link"]))
        #expect(!DataBlock.isData(["./configure"]))
        #expect(!DataBlock.isData(["# only a comment", ""]))
    }

    @Test("a command line whose first word is no known program is reported with its column")
    func unknownProgram() throws {
        let result = try PageImporter.parse(
            text: "## Avvio\n\n**sistema 𝛽**\n```\nip link set dev eth1 up\n  ipp route add 10.0.0.1 dev eth1\n"
                + "sudo ip netns exec x qspnclient init\neth1   00:16:3E:EC:A3:E1\n```\n",
            path: "p.md", topology: topology)
        #expect(
            result.report.warnings.map(\.description) == [
                """
                p.md:6:3: warning: 'ipp' is not a program testbed knows; the line runs as written on beta
                      ipp route add 10.0.0.1 dev eth1
                      ^
                hint: check the spelling; a block that lists data (a table of interfaces, MACs, addresses) is kept and not run when no line of it starts with a program
                """,
                """
                p.md:8:1: warning: 'eth1' is not a program testbed knows; the line runs as written on beta
                    eth1   00:16:3E:EC:A3:E1
                    ^
                hint: check the spelling; a block that lists data (a table of interfaces, MACs, addresses) is kept and not run when no line of it starts with a program
                """,
            ])
    }
}
