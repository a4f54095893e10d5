import Netsukuku
import PlanModel
import Testing

/// A scenario read where plans are read (`run`, `check`, `render`): PlanSource hands it to the compiler, and
/// a rendered scenario is a page of the documentation's shape that imports back into the same blocks.
@Suite struct ScenarioSourceTests {
    let topology = NetsukukuTestSupport.pointOfConcept
    let arc = NetsukukuTestSupport.path("topologies/netsukuku-poc/operations/arc.yaml")

    @Test("PlanSource compiles a scenario into the plan the compiler makes")
    func sameAsCompiler() throws {
        let loaded = try PlanSource.load(path: arc, topology: topology, scenarios: ScenarioPlanCompiler())
        let (_, compiled) = try ScenarioCompiler.compile(path: arc, topology: topology)
        #expect(loaded.plan == compiled.plan)
        #expect(loaded.report.commands == 108)
    }

    @Test("each operation opens a section of the rendered page; blocks are '**sistema X**' with the alias")
    func pageSections() throws {
        let loaded = try PlanSource.load(path: arc, topology: topology, scenarios: ScenarioPlanCompiler())
        let page = PageRenderer.render(loaded.plan, topology: topology)
        let headings = page.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(headings == ["## init: system start of alfa, beta", "## add_real_arc: alfa – beta"])
        #expect(page.contains("**sistema 𝛼**\n```\nsysctl net.ipv4.ip_forward=1 &>/dev/null\n"))
        let back = try PlanSource.parse(text: page, path: "arc.md", topology: topology)
        let texts = { (plan: Plan) in plan.steps.flatMap(\.blocks).map { $0.lines.map(\.text) } }
        #expect(texts(back.plan) == texts(loaded.plan))
        #expect(back.plan.steps.flatMap(\.blocks).map(\.node) == loaded.plan.steps.flatMap(\.blocks).map(\.node))
    }

    @Test("the author's scenario renders one section per operation, in scenario order")
    func authorsSections() throws {
        let path = NetsukukuTestSupport.path("topologies/netsukuku-poc/scenario.yaml")
        let (scenario, compiled) = try ScenarioCompiler.compile(path: path, topology: topology)
        let page = PageRenderer.render(compiled.plan, topology: topology)
        let headings = page.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(headings == scenario.operations.map(\.headingText))
        #expect(headings.count == 27)
        #expect(headings[8] == "enter_net entr03: 3·1·0· into gamma's network at 2·1·2·, real 2·1·0·")
    }

    @Test("a conform step may name a scenario: its compiled step's blocks of the node are the documented ones")
    func conformReadsScenario() throws {
        let directory = NetsukukuTestSupport.path("topologies/netsukuku-poc")
        let text = """
            steps:
              - id: started
                conform: {node: beta, documented: {file: operations/arc.yaml, steps: [init-1-start]}}
            """
        let plan = try PlanLoader.parse(
            text: text, path: directory + "/conform.yaml", topology: topology, scenarios: ScenarioPlanCompiler())
        let (_, compiled) = try ScenarioCompiler.compile(path: arc, topology: topology)
        let expected = compiled.plan.step(id: "init-1-start")?.blocks.filter { $0.node == "beta" } ?? []
        guard case .conform(let check) = plan.steps.first?.action else {
            Issue.record("not a conform step")
            return
        }
        #expect(!expected.isEmpty)
        #expect(check.documented == expected)
        #expect(check.source == "operations/arc.yaml steps init-1-start")
        // Without the compiler the scenario is refused where the plan names it.
        let refused = #expect(throws: InputErrors.self) {
            try PlanLoader.parse(text: text, path: directory + "/conform.yaml", topology: topology)
        }
        #expect(refused?.errors.first?.message.contains("a scenario is compiled, not read as a plan") == true)
    }
}
