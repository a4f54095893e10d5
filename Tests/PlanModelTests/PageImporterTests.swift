import Testing

@testable import PlanModel

/// Pages in the documentation's format, written for these tests.
@Suite struct PageImporterTests {
    let topology = ImportTestSupport.netsukuku

    func importPage(_ text: String, path: String = "page.md") throws(InputErrors) -> ImportResult {
        try PageImporter.parse(text: text, path: path, topology: topology)
    }

    func problems(_ text: String) -> [String] {
        do {
            let result = try importPage(text)
            return result.report.warnings.map(\.description)
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("headings with and without anchors, prose-only steps, empty blocks, system spellings, ping checks")
    func fixturePage() throws {
        let result = try importPage(ImportTestSupport.text(ImportTestSupport.fixture("pages/arc.md")), path: "arc.md")
        let plan = result.plan
        #expect(plan.title == "Example - an arc and a namespace")
        #expect(plan.notes.map(\.text) == ["[Previous page](intro.md)"])
        #expect(
            plan.steps.map(\.id) == [
                "arc-formation", "nothing-happens-here", "namespace-of-gamma", "checks", "checks-2",
            ])
        #expect(
            plan.steps.map(\.title) == [
                "Arc formation", "Nothing happens here", "Namespace of gamma", "Checks", "Checks",
            ])
        #expect(
            plan.steps.map { $0.heading.map { "\($0.level) \($0.anchor ?? "-")" } } == [
                "2 arc", "3 -", "3 -", "4 -", nil,
            ])
        #expect(plan.steps.map(\.operation) == [.arc, nil, nil, .check, .check])

        let arc = plan.steps[0]
        #expect(arc.blocks.map(\.node) == ["alfa", "beta"])
        #expect(arc.blocks.map(\.label) == ["𝛼", "β"])
        #expect(arc.blocks[0].lines.map(\.location) == [InputLocation(file: "arc.md", line: 11)])
        #expect(arc.blocks[0].location == InputLocation(file: "arc.md", line: 9))
        #expect(arc.notes.map(\.afterBlocks) == [nil, 2])

        #expect(plan.steps[1].blocks.isEmpty)
        #expect(plan.steps[1].notes.map(\.text) == ["Only prose under this heading: a step with no blocks."])

        let namespace = plan.steps[2].blocks
        #expect(namespace.map(\.node) == ["gamma", "delta"])
        #expect(namespace.map(\.label) == ["*𝛾*", "𝛿<sub>1</sub>"])
        #expect(namespace[0].lines.map(\.text)[3] == "")
        #expect(namespace[0].commands.count == 4)
        #expect(namespace[1].lines.isEmpty)

        guard case .reach(let reach) = plan.steps[3].action, case .reach(let refusal) = plan.steps[4].action else {
            Issue.record("the checks are not reach checks")
            return
        }
        #expect(reach.node == "alfa")
        #expect(reach.targets.map(\.description) == ["169.254.96.141", "169.254.94.223"])
        #expect(reach.expectation == .reachable)
        #expect(reach.originalLines.map(\.location.line) == [44, 45])
        #expect(refusal.node == "beta")
        #expect(refusal.expectation == .unreachable)
        #expect(plan.steps[4].notes.map(\.text).last == "[Next page](next.md)")
        #expect(plan.steps[4].notes[1].text == "```\nqspnclient init 4.2.2.2 1.0.1.0 -i eth1\n```")

        #expect(
            result.report.warnings.map(\.description) == [
                """
                arc.md:55:1: warning: this code block has no '**sistema X**' line before it; it is kept as a note and not run
                    ```
                    ^
                hint: put '**sistema NAME**' on the line before the block if its commands must run
                """
            ])
        #expect(result.report.nodes.map(\.node) == ["alfa", "beta", "gamma", "delta"])
    }

    @Test("system lines: spellings that name a system, and prose that does not")
    func systemLines() {
        let named: [(String, String, String)] = [
            ("**sistema 𝛽**", "𝛽", "𝛽"), ("**sistema *𝛽***", "*𝛽*", "𝛽"), ("**system beta**", "beta", "beta"),
            ("**Sistema** β", "β", "β"), ("  **sistema 𝛿<sub>1</sub>**  ", "𝛿<sub>1</sub>", "𝛿"),
            ("**sistema 𝜀:**", "𝜀:", "𝜀"), ("**sistema **", "", ""), ("**sistema**", "", ""),
        ]
        for (line, written, name) in named {
            let parsed = SystemLine(line)
            #expect(parsed?.written == written, "\(line)")
            #expect(parsed?.name == name, "\(line)")
        }
        for prose in [
            "**sistemazione**", "L'utente nel sistema ** dice al **qspnclient** che:", "**sistema di rete**",
            "sistema 𝛽", "**migr01**",
        ] {
            #expect(SystemLine(prose) == nil, "\(prose)")
        }
    }

    @Test("names resolve through node names, aliases and every form of a Greek letter")
    func nameResolution() {
        let resolver = SystemNameResolver(topology: topology)
        let cases: [(String, String?)] = [
            ("𝛽", "beta"), ("β", "beta"), ("Beta", "beta"), ("ε", "epsilon"), ("ϵ", "epsilon"), ("𝜖", "epsilon"),
            ("𝜀", "epsilon"), ("λ", "lambda"), ("𝜌", "rho"), ("ρ", "rho"), ("zeta", nil), ("ζ", nil),
        ]
        for (name, node) in cases { #expect(resolver.resolve(name)?.rawValue == node, "\(name)") }
    }

    @Test("headings: anchors in either quote, id anchors, closing hashes; `#text` is no heading")
    func headings() {
        #expect(PageLine.classify("### <a name='x'></a> Title") == .heading(level: 3, text: "Title", anchor: "x"))
        #expect(PageLine.classify("## <a id=\"y\"></a>Title ##") == .heading(level: 2, text: "Title", anchor: "y"))
        #expect(PageLine.classify("   # C#") == .heading(level: 1, text: "C#", anchor: nil))
        #expect(PageLine.classify("#hashtag") == .prose)
        #expect(PageLine.classify("    # indented code") == .prose)
        #expect(PageLine.classify("####### seven") == .prose)
    }

    @Test("an unterminated system block is a located error; nothing after it is run as commands")
    func unterminatedFence() {
        #expect(
            problems("# T\n\n### S\n\n**sistema 𝛽**\n```\nip link set dev eth1 up\n\nMore prose.\n") == [
                """
                page.md:6:1: error: the code block of this system is never closed
                    ```
                    ^
                hint: end the block with a line of ```; until then the rest of the page would be run as commands
                """
            ])
    }

    @Test("a system line with no block is kept as prose, with a warning")
    func systemLineWithoutBlock() throws {
        let result = try importPage(
            "# T\n\n### S\n\n**sistema 𝛽**\n\nNo commands here.\n\n**sistema 𝛾**\n```\nip link\n```\n")
        #expect(result.plan.steps[0].blocks.map(\.node) == ["gamma"])
        #expect(result.plan.steps[0].notes.map(\.text) == ["**sistema 𝛽**", "No commands here."])
        #expect(
            result.report.warnings.map(\.description) == [
                """
                page.md:5:1: warning: this system line is not followed by a code block; it is kept as prose and nothing runs
                    **sistema 𝛽**
                    ^
                hint: put the commands in a ``` block right after the line, or remove the line
                """
            ])
    }

    @Test("binary data, an empty page and a malformed testbed comment are located errors")
    func badInput() {
        #expect(
            problems("# T\n\nsome\u{0}thing\n") == [
                """
                page.md:3:5: error: the file contains binary data (U+0)
                    some\\u{0}thing
                        ^
                hint: pass a documentation page (Markdown) or a replay script (bash); this looks like neither
                """
            ])
        #expect(problems("just prose\n").first?.contains("error: nothing to import: the page has no headings") == true)
        #expect(
            problems("# T\n\n<!-- testbed:step id=\"x -->\n").first?.contains(
                "page.md:3:1: error: malformed testbed comment: a value is not closed with '\"'") == true)
    }

    @Test("outcome lines of an earlier run are skipped and counted; CRLF is read as LF with a warning")
    func outcomesAndCRLF() throws {
        let result = try importPage(
            "# T\r\n\r\n### S\r\n\r\n> testbed: passed in 0.10 s\r\n\r\n**sistema 𝛽**\r\n```\r\nip link\r\n```\r\n")
        #expect(result.report.ignoredOutcomeLines == 1)
        #expect(result.plan.steps[0].blocks[0].lines.map(\.text) == ["ip link"])
        #expect(result.plan.steps[0].notes.isEmpty)
        #expect(result.report.warnings.map(\.message) == ["the file has CRLF line ends; they are read as LF"])
    }

    @Test("PlanSource tells pages, scripts and YAML apart by extension and content")
    func formats() {
        #expect(PlanSource.format(path: "seed.txt", text: "# Title\n\n**sistema 𝛽**\n```\nx\n```\n") == .page)
        #expect(PlanSource.format(path: "sequence", text: "#!/bin/bash\n### Start\n") == .script)
        #expect(PlanSource.format(path: "run.txt", text: "### Start\nlxc exec alfa -- ip link\n") == .script)
        #expect(PlanSource.format(path: "plan.txt", text: "title: x\nsteps:\n  - node: a\n") == .yaml)
        #expect(PlanSource.format(path: "plan.yml", text: "") == .yaml)
        #expect(PlanSource.format(path: "page.md", text: "lxc exec alfa -- x") == .page)
        #expect(PlanSource.format(path: "s.sh", text: "# Title") == .script)
    }

    @Test("a top-level 'scenario:' key makes a scenario, with or without .yaml; an indented one does not")
    func scenarioFormat() {
        let scenario = "# lab\nscenario:\n  systems: {}\n"
        #expect(PlanSource.format(path: "s.yaml", text: scenario) == .scenario)
        #expect(PlanSource.format(path: "s", text: scenario) == .scenario)
        #expect(PlanSource.format(path: "s.yaml", text: "scenario: {systems: {}}") == .scenario)
        #expect(PlanSource.format(path: "p.yaml", text: "steps:\n  - scenario:\n") == .yaml)
        #expect(PlanSource.format(path: "p.yaml", text: "title: scenarios\nsteps: []\n") == .yaml)
    }

    @Test("without a scenario compiler a scenario is refused, located at its 'scenario:' key")
    func scenarioWithoutCompiler() {
        do {
            _ = try PlanSource.parse(text: "# lab\nscenario:\n  systems: {}\n", path: "s.yaml", topology: topology)
            Issue.record("a scenario was read as a plan")
        } catch {
            #expect(
                error.description == """
                    s.yaml:2:1: error: a scenario is compiled, not read as a plan
                        scenario:
                        ^
                    hint: run, check, render or compile it with testbed, which compiles scenarios first
                    """)
        }
    }
}
