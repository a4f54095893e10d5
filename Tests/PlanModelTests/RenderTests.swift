import Testing

@testable import PlanModel

/// Pages rendered from plans import back into the same plans; YAML written from plans loads back.
@Suite struct RenderTests {
    let topology = ImportTestSupport.netsukuku

    static let yamlPlan = """
        title: Everything a YAML plan can say
        notes: [A plan note]
        steps:
          - id: arc
            title: Arc between alfa and beta
            op: arc
            blocks:
              - node: 𝛼
                run: |
                  ip route add 169.254.96.141 dev eth1 src 169.254.69.30
              - node: beta
                netns: entr02
                run: |2
                    indented first line
                  ping -q -n -c 1 10.0.0.1 -W 1 &>/dev/null || (echo "not a check here"; exit 1)

          - id: s2
            barrier: true
            notes: ["# looks like a heading", "**sistema 𝛽**"]
            node: gamma
            run: ["printf 'a\\\\tb'", "echo \\"quoted\\" \\\\ done"]
          - id: ping
            title: Formazione dell'arco
            reach: {from: alfa, netns: entr04, to: [169.254.96.141, fe80::1], expect: unreachable, count: 3, timeout_ms: 1500}
          - id: who
            expect: {node: delta, run: hostname, status: 0, stdout_contains: [delta, "a \\"b\\""], stdout_excludes: [x], stdout_matches: "^d.*a$"}
        """

    func roundTrip(_ plan: Plan, sourceLabel: Comment) throws {
        let page = PageRenderer.render(plan, topology: topology)
        let again = try PageImporter.parse(text: page, path: "render.md", topology: topology)
        #expect(again.plan.withoutLocations() == plan.withoutLocations(), sourceLabel)
        #expect(
            again.report.warnings.filter {
                !$0.message.contains("code block has no") && !$0.message.contains("is not a program testbed knows")
            }.isEmpty, sourceLabel)
    }

    @Test(
        "page and script fixtures render into pages that import back into the same plan",
        arguments: ["pages/arc.md", "scripts/arc-and-checks.sh", "pages/damage-source.md"])
    func fixtureRoundTrips(name: String) throws {
        let result = try PlanSource.load(path: ImportTestSupport.fixture(name), topology: topology)
        try roundTrip(result.plan, sourceLabel: "\(name)")
        if name.hasSuffix(".md") {
            let page = PageRenderer.render(result.plan, topology: topology)
            let original = ImportTestSupport.text(ImportTestSupport.fixture(name))
            #expect(ImportTestSupport.systemFences(page) == ImportTestSupport.systemFences(original))
        }
    }

    @Test("a resolved ambiguous page round-trips (the render names the assumed system)")
    func assumedRoundTrip() throws {
        let result = try PlanSource.load(
            path: ImportTestSupport.fixture("pages/ambiguous.md"), topology: topology, assumptions: [19: "gamma"])
        try roundTrip(result.plan, sourceLabel: "ambiguous")
    }

    @Test("YAML plans render into pages that import back into the same plan")
    func yamlRoundTrips() throws {
        let inline = try PlanLoader.parse(text: Self.yamlPlan, path: "plan.yaml", topology: topology)
        try roundTrip(inline, sourceLabel: "inline")
        let demoPath = ImportTestSupport.repositoryRoot().appendingPathComponent("topologies/netsukuku-poc/demo.yaml")
            .path
        let demo = try PlanLoader.load(path: demoPath, topology: topology)
        try roundTrip(demo, sourceLabel: "demo.yaml")
    }

    @Test("a YAML plan's page: testbed comments only where the page format cannot say it")
    func yamlPage() throws {
        let plan = try PlanLoader.parse(text: Self.yamlPlan, path: "plan.yaml", topology: topology)
        let page = PageRenderer.render(plan, topology: topology)
        #expect(
            page == """
                # Everything a YAML plan can say

                A plan note

                <!-- testbed:step title="Arc between alfa and beta" id="arc" op="arc" -->

                **sistema 𝛼**
                ```
                ip route add 169.254.96.141 dev eth1 src 169.254.69.30
                ```

                <!-- testbed:block netns="entr02" -->
                **sistema beta**
                ```
                  indented first line
                ping -q -n -c 1 10.0.0.1 -W 1 &>/dev/null || (echo "not a check here"; exit 1)
                ```

                <!-- testbed:step title="gamma: printf 'a\\\\tb'" id="s2" barrier="true" -->

                \\# looks like a heading

                \\**sistema 𝛽**

                **sistema gamma**
                ```
                printf 'a\\tb'
                echo "quoted" \\ done
                ```

                <!-- testbed:step title="Formazione dell'arco" id="ping" op="" -->

                <!-- testbed:block lines="generated" -->
                **sistema alfa**
                ```
                ip netns exec entr04 ping -q -n -c 3 169.254.96.141 -W 1.5 &>/dev/null && (echo "alfa: 169.254.96.141 answers but must not"; exit 1)
                ip netns exec entr04 ping -q -n -c 3 fe80::1 -W 1.5 &>/dev/null && (echo "alfa: fe80::1 answers but must not"; exit 1)
                ```

                <!-- testbed:step title="expect on delta" id="who" op="" -->

                <!-- testbed:expect status="0" contains="delta" contains="a \\"b\\"" excludes="x" matches="^d.*a$" -->
                **sistema delta**
                ```
                hostname
                ```

                """)
    }

    @Test("a finished run's outcomes are added as marked lines the importer skips")
    func annotations() throws {
        let result = try PlanSource.load(path: ImportTestSupport.fixture("pages/arc.md"), topology: topology)
        let annotations: [String: RunAnnotation] = [
            "arc-formation": RunAnnotation(
                outcome: .failed, duration: .milliseconds(1234),
                message: "exit 2 at line 11\nRTNETLINK answers: File exists",
                blocks: [RunAnnotation(outcome: .passed, duration: .milliseconds(5)), RunAnnotation(outcome: .failed)]),
            "checks": RunAnnotation(outcome: .skipped),
            "checks-2": RunAnnotation(outcome: .notRun),
        ]
        let page = PageRenderer.render(result.plan, topology: topology, annotations: annotations)
        let outcomeLines = page.split(separator: "\n").filter { $0.hasPrefix("> testbed:") }
        #expect(
            outcomeLines == [
                "> testbed: failed in 1.23 s — exit 2 at line 11 RTNETLINK answers: File exists",
                "> testbed: passed in 0.01 s", "> testbed: failed", "> testbed: skipped", "> testbed: not run",
            ])
        #expect(page.contains("## <a name=\"arc\"></a> Arc formation\n\n> testbed: failed in 1.23 s"))
        #expect(page.contains("src 169.254.69.30\n```\n> testbed: passed in 0.01 s\n"))
        let again = try PageImporter.parse(text: page, path: "run.md", topology: topology)
        #expect(again.plan.withoutLocations() == result.plan.withoutLocations())
        #expect(again.report.ignoredOutcomeLines == 5)
    }

    @Test("a block holding a fence line gets a longer fence")
    func longerFence() throws {
        let text = "# T\n\n### S\n\n**sistema 𝛽**\n````\ncat <<X\n```\nX\n````\n"
        let result = try PageImporter.parse(text: text, path: "p.md", topology: topology)
        #expect(result.plan.steps[0].blocks[0].lines.map(\.text) == ["cat <<X", "```", "X"])
        let page = PageRenderer.render(result.plan, topology: topology)
        #expect(page.contains("**sistema 𝛽**\n````\ncat <<X\n```\nX\n````\n"))
        try roundTrip(result.plan, sourceLabel: "fence")
    }

    @Test("YAML written from plans loads back; what YAML cannot hold is listed")
    func yamlWriter() throws {
        let inline = try PlanLoader.parse(text: Self.yamlPlan, path: "plan.yaml", topology: topology)
        let written = PlanYAMLWriter.write(inline, topology: topology)
        let back = try PlanLoader.parse(text: written, path: "back.yaml", topology: topology)
        #expect(back.withoutLocations() == inline.withoutLocations())
        #expect(
            written.contains(
                "      - node: \"beta\"\n        netns: \"entr02\"\n        run: |2\n            indented first line\n")
        )

        let page = try PlanSource.load(path: ImportTestSupport.fixture("pages/arc.md"), topology: topology)
        #expect(
            PlanYAMLWriter.omissions(page.plan) == [
                "step 'nothing-happens-here' is not written: it has no commands (prose only or empty blocks)",
                "step 'namespace-of-gamma': 1 block(s) without commands are not written (delta)",
            ])
        let pageBack = try PlanLoader.parse(
            text: PlanYAMLWriter.write(page.plan, topology: topology), path: "arc.yaml", topology: topology)
        #expect(
            pageBack.withoutLocations()
                == PlanYAMLWriter.representable(page.plan, topology: topology).withoutLocations())
        #expect(pageBack.steps.count == 4)

        var tricky = inline
        tricky.steps[0].action = .blocks([
            NodeBlock(
                node: "alfa",
                lines: [
                    ScriptLine("a\u{1}b", at: .cleared), ScriptLine("   ", at: .cleared), ScriptLine("", at: .cleared),
                ],
                location: .cleared, label: "alfa")
        ])
        let trickyBack = try PlanLoader.parse(
            text: PlanYAMLWriter.write(tricky, topology: topology), path: "t.yaml", topology: topology)
        #expect(trickyBack.steps[0].blocks[0].lines.map(\.text) == ["a\u{1}b", "   ", ""])
    }
}
