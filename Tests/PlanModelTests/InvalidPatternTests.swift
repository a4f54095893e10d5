import Testing

@testable import PlanModel

/// An expect check whose pattern is not a regular expression is refused at load, located; never a pass.
@Suite struct InvalidPatternTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(text: "name: t\nnodes: {alfa: }\n", path: "t.yaml")
    }

    @Test("a YAML plan with an invalid stdout_matches is an input error at its line")
    func yaml() throws {
        let text = "steps:\n  - expect: {node: alfa, run: hostname, stdout_matches: \"a(b\"}\n"
        #expect {
            _ = try PlanLoader.parse(text: text, path: "p.yaml", topology: topology)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("p.yaml:2:57: error: 'stdout_matches' is not a valid regular expression")
                && text.contains("hint: check the brackets and escapes")
        }
    }

    @Test("a page whose expect comment has an invalid pattern or status is refused at the comment's line")
    func page() throws {
        let page = """
            # Checks

            <!-- testbed:expect matches="a(b" -->
            **sistema alfa**
            ```
            hostname
            ```

            <!-- testbed:expect status="300" -->
            **sistema alfa**
            ```
            hostname
            ```
            """
        #expect {
            _ = try PlanSource.parse(text: page, path: "page.md", topology: topology, format: .page)
        } throws: { error in
            guard let errors = error as? InputErrors else { return false }
            let messages = errors.errors.map { "\($0.location.line): \($0.message)" }
            return messages.count == 2
                && messages[0].hasPrefix("3: 'matches' is not a valid regular expression")
                && messages[1] == "9: expect status '300' is not an exit status"
        }
    }
}
