import Testing

@testable import PlanModel

/// Round trips the fuzzer broke: `import(render(plan)) == plan` for plans whose text only looks like
/// something else.
@Suite struct RoundTripEdgeTests {
    let topology = ImportTestSupport.netsukuku

    @Test("a command block that looks like a data table renders with a testbed comment and reads back as commands")
    func dataLookingCommands() throws {
        let location = InputLocation(file: "p.yaml", line: 1)
        let block = NodeBlock(
            node: "beta", lines: [ScriptLine("eth1   up", at: location)], location: location, label: "𝛽")
        let plan = Plan(
            title: "t", sourceKind: .yaml, sourcePath: "p.yaml",
            steps: [Step(id: "t", title: "t", action: .blocks([block]), location: location)])
        let page = PageRenderer.render(plan, topology: topology)
        #expect(page.contains("<!-- testbed:block -->\n**sistema 𝛽**\n```\neth1   up\n```"))
        let again = try PageImporter.parse(text: page, path: "r.md", topology: topology)
        #expect(again.plan.steps.flatMap(\.blocks).map { $0.lines.map(\.text) } == [["eth1   up"]])
        #expect(again.report.dataBlocks.isEmpty)
    }

    @Test("carriage returns before a line end or at the end are dropped, all of them; a CR in a heading is a space")
    func carriageReturns() throws {
        #expect(ImportSource.withoutCarriageReturnsBeforeLineEnds("a\r\r\nb\rc\r") == "a\nb\rc")
        let result = try PageImporter.parse(
            text: "# T\r\n\n## A\rB\n\nprose\r\r\n", path: "p.md", topology: topology)
        #expect(result.plan.title == "T")
        #expect(result.plan.steps.map(\.title) == ["A B"])
        #expect(result.plan.steps[0].notes.map(\.text) == ["prose"])
        let again = try PageImporter.parse(
            text: PageRenderer.render(result.plan, topology: topology), path: "r.md", topology: topology)
        #expect(again.plan.withoutLocations() == result.plan.withoutLocations())
    }

    @Test("a heredoc fed to a command whose quoted word spans script lines imports as one plan line per line")
    func heredocCommandSpanningLines() throws {
        // Cut down from a script-importer fuzz crash: the opener kept the quoted line break inside one plan line,
        // which the rendered page split in two.
        let result = try ScriptImporter.parse(text: "lxc exec gamma '\n'<<E\nE\n", path: "s.sh", topology: topology)
        let lines = result.plan.steps.flatMap(\.blocks).flatMap(\.lines)
        #expect(lines.map(\.text) == ["cat <<'E' | '", "'", "E"])
        #expect(lines.map(\.location.line) == [1, 2, 3])
        let again = try PageImporter.parse(
            text: PageRenderer.render(result.plan, topology: topology), path: "r.md", topology: topology)
        #expect(again.plan.withoutLocations() == result.plan.withoutLocations())
    }
}
