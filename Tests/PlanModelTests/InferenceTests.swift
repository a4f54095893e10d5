import Testing

@testable import PlanModel

/// Blocks whose system name is lost or unknown: evidence, ambiguity, and `--assume`.
@Suite struct InferenceTests {
    let topology = ImportTestSupport.netsukuku
    let ambiguous = ImportTestSupport.text(ImportTestSupport.fixture("pages/ambiguous.md"))

    func errors(_ text: String, assumptions: [Int: String] = [:]) -> [InputError] {
        do {
            _ = try PageImporter.parse(text: text, path: "page.md", topology: topology, assumptions: assumptions)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("ambiguous evidence stops the import with a located error listing the candidates")
    func ambiguousEvidence() {
        let found = errors(ambiguous)
        #expect(found.count == 1)
        #expect(
            found.first?.description == """
                page.md:19:11: error: the system name of this block is missing, and its commands fit beta and gamma
                    **sistema **
                              ^
                hint: line 21: uses namespace migr02, created earlier by beta, gamma → beta or gamma; \
                decide with --assume "19=NODE"; candidates: beta (𝛽), gamma (𝛾)
                """)
        #expect(found.first?.code == .ambiguous)
    }

    @Test("--assume decides an ambiguous block; the report shows the decision and the evidence")
    func assumptionResolves() throws {
        for spelling in ["gamma", "γ", "𝛾"] {
            let result = try PageImporter.parse(
                text: ambiguous, path: "page.md", topology: topology, assumptions: [19: spelling])
            let block = try #require(result.plan.steps.last?.blocks.first)
            #expect(block.node == "gamma")
            #expect(block.label == "𝛾")
            #expect(result.report.warnings.isEmpty)
            #expect(
                result.report.inferences.flatMap(\.summary) == [
                    "page.md:19: name lost → gamma (assumed by --assume)",
                    "    line 21: uses namespace migr02, created earlier by beta, gamma → beta or gamma",
                ])
        }
        // Any line of the block works, not only the system line.
        let byFenceLine = try PageImporter.parse(
            text: ambiguous, path: "page.md", topology: topology, assumptions: [21: "beta"])
        #expect(byFenceLine.plan.steps.last?.blocks.first?.node == "beta")
    }

    @Test("an assumption naming no system is an error; one no block needs is a warning")
    func badAssumptions() throws {
        #expect(
            errors(ambiguous, assumptions: [19: "zeta"]).first?.description == """
                page.md:19:1: error: --assume 19=zeta names an unknown system
                    **sistema **
                    ^
                hint: systems of this topology: alfa (𝛼), beta (𝛽), gamma (𝛾), delta (𝛿), epsilon (𝜀), mu (𝜇), lambda (𝜆), rho (𝜌)
                """)
        let result = try PageImporter.parse(
            text: ambiguous, path: "page.md", topology: topology, assumptions: [19: "beta", 5: "alfa"])
        #expect(
            result.report.warnings.map(\.description) == [
                """
                page.md:5:1: warning: --assume 5=alfa was not used: line 5 starts no block whose system is missing or unknown
                    **sistema 𝛽**
                    ^
                hint: give the line of the '**sistema …**' line (or heredoc) whose system could not be told
                """
            ])
    }

    @Test("an assumption the evidence rules out is followed, with a warning")
    func contradictedAssumption() throws {
        let result = try PageImporter.parse(
            text: ambiguous, path: "page.md", topology: topology, assumptions: [19: "mu"])
        #expect(result.plan.steps.last?.blocks.first?.node == "mu")
        #expect(
            result.report.warnings.map(\.message) == [
                "--assume 19=mu goes against the block's commands, which fit beta (𝛽), gamma (𝛾)"
            ])
    }

    func page(_ blocks: String) -> String { "# Inference\n\n### Step\n\n" + blocks }

    @Test("a MAC the block sets is its own; a --mac-source or ntk_from_ MAC is a peer's and rules that system out")
    func macEvidence() throws {
        let own = try PageImporter.parse(
            text: page("**sistema **\n```\nip link set dev eth1 address 00:16:3E:5B:78:D5\n```\n"), path: "page.md",
            topology: topology)
        #expect(own.plan.steps[0].blocks[0].node == "gamma")
        let peerOnly = errors(
            page(
                "**sistema **\n```\niptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:EC:A3:E1 -j MARK --set-mark 249\n```\n"
            ))
        #expect(
            peerOnly.first?.message
                == "the system name of this block is missing, and nothing in the block tells which system runs it")
        #expect(
            peerOnly.first?.hint
                == "line 7: names 00:16:3E:EC:A3:E1 as a peer's MAC, the MAC of beta → not beta; decide with --assume \"5=NODE\"; "
                + "candidates: alfa (𝛼), gamma (𝛾), delta (𝛿), epsilon (𝜀), mu (𝜇), lambda (𝜆), rho (𝜌)")
        let both = try PageImporter.parse(
            text: page(
                "**sistema **\n```\nip route add 10.0.0.0/29 table ntk_from_00:16:3E:EC:A3:E1 via 169.254.96.141 dev eth1 src 169.254.94.223\n```\n"
            ),
            path: "page.md", topology: topology)
        #expect(both.plan.steps[0].blocks[0].node == "gamma")
        #expect(both.report.inferences[0].evidence.map(\.isAgainst) == [false, true, true])
    }

    @Test("a namespace is evidence for the systems that made it earlier and have not deleted it")
    func namespaceHistory() throws {
        let text = ambiguous.replacing(
            "### A block", with: "**sistema 𝛽**\n```\nip netns del migr02\n```\n\n### A block")
        let result = try PageImporter.parse(text: text, path: "page.md", topology: topology)
        #expect(result.plan.steps.last?.blocks.first?.node == "gamma")
    }

    @Test("an unknown system name is inferred with a warning when the evidence is clear, else an error")
    func unknownName() throws {
        let clear = try PageImporter.parse(
            text: page("**sistema zeta**\n```\nip route add 169.254.96.141 dev eth1 src 169.254.163.36\n```\n"),
            path: "page.md", topology: topology)
        #expect(clear.plan.steps[0].blocks[0].node == "epsilon")
        #expect(clear.plan.steps[0].blocks[0].label == "𝜀")
        #expect(clear.report.inferences.map(\.written) == ["zeta"])
        #expect(
            clear.report.warnings.map(\.message) == [
                "unknown system 'zeta'; its commands point to epsilon, which the import uses"
            ])
        let unclear = errors(page("**sistema zeta**\n```\nip link set dev eth1 up\n```\n"))
        #expect(
            unclear.map(\.message) == ["unknown system 'zeta', and nothing in the block tells which system runs it"])
        #expect(unclear.first?.location.column == 11)
    }

    @Test("commands pointing to two systems at once are reported as such")
    func contradictoryEvidence() {
        let found = errors(
            page(
                "**sistema **\n```\nip route add 169.254.96.141 dev eth1 src 169.254.163.36\nip address add 169.254.69.30 dev eth1\n```\n"
            ))
        #expect(
            found.map(\.message) == [
                "the system name of this block is missing, and its commands point to different systems"
            ])
        #expect(found.first?.hint.hasSuffix("candidates: alfa (𝛼), epsilon (𝜀)") == true)
    }
}
