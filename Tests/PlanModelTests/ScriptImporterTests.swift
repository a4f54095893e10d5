import Testing

@testable import PlanModel

/// Replay scripts in the author's LXC style, written for these tests.
@Suite struct ScriptImporterTests {
    let topology = ImportTestSupport.netsukuku

    func importScript(_ text: String, path: String = "run.sh", assumptions: [Int: String] = [:]) throws(InputErrors)
        -> ImportResult
    {
        try ScriptImporter.parse(text: text, path: path, topology: topology, assumptions: assumptions)
    }

    func errors(_ text: String) -> [String] {
        do {
            _ = try importScript(text)
            return []
        } catch {
            return error.errors.filter { $0.severity == .error }.map(\.description)
        }
    }

    @Test("heredocs with set -e, one-liners, echo titles, ### sections, comments and ping checks of both polarities")
    func fixtureScript() throws {
        let result = try importScript(ImportTestSupport.text(ImportTestSupport.fixture("scripts/arc-and-checks.sh")))
        let plan = result.plan
        #expect(plan.sourceKind == .script)
        #expect(plan.title == "run")
        #expect(plan.notes.map(\.text) == ["Replay of a small arc between beta and gamma, with checks."])
        #expect(
            plan.steps.map(\.id) == [
                "start-of-the-systems", "beta-comes-up", "arc", "beta-and-gamma-form-an-arc",
                "beta-and-gamma-form-an-arc-2", "beta-and-gamma-form-an-arc-3", "alfa-is-not-connected",
            ])
        #expect(plan.steps.map { $0.heading?.level } == [2, 3, 2, 3, nil, nil, 3])

        let start = plan.steps[1].blocks
        #expect(start.map(\.node) == ["beta", "gamma", "gamma"])
        #expect(
            start[0].lines.map(\.text) == [
                "set -e", "ip link set dev eth1 up", "ip address add 169.254.96.141 dev eth1",
            ])
        #expect(start[0].lines.map(\.location.line) == [8, 9, 10])
        #expect(start[0].location.line == 7)
        #expect(start[1].lines.map(\.text) == ["ip link set dev eth1 up"])
        #expect(start[1].lines[0].location == InputLocation(file: "run.sh", line: 12, column: 19))

        #expect(plan.steps[3].blocks.map(\.node) == ["beta", "gamma"])
        #expect(plan.steps[3].notes.map(\.text) == ["both ends must answer now"])
        #expect(plan.steps[3].notes.map(\.afterBlocks) == [2])

        let checks = plan.steps[4...].compactMap { step -> ReachCheck? in
            if case .reach(let check) = step.action { check } else { nil }
        }
        #expect(checks.map(\.node) == ["beta", "gamma", "alfa"])
        #expect(checks[0].targets.map(\.description) == ["169.254.94.223", "169.254.24.198"])
        #expect(checks.map(\.expectation) == [.reachable, .reachable, .unreachable])
        #expect(
            checks[0].originalLines.map(\.text) == [
                "ping -q -n -c 1 169.254.94.223 -W 1 &>/dev/null || (echo \"beta cannot reach gamma\"; exit 1)",
                "ping -q -n -c 1 -W 1 169.254.24.198 > /dev/null 2>&1 || (echo \"beta cannot reach gamma/migr02\"; exit 1)",
            ])
        #expect(checks[1].originalLines.map(\.text).first == "set -e")
        #expect(result.report.warnings.isEmpty)
        #expect(result.report.checks == 3)
    }

    @Test("a heredoc for a container the topology does not know is a located error; --assume decides it")
    func unknownContainer() throws {
        let text = ImportTestSupport.text(ImportTestSupport.fixture("scripts/unknown-container.sh"))
        #expect(
            errors(text) == [
                """
                run.sh:2:22: error: unknown container 'zeta'
                    cat <<EOF | lxc exec zeta bash
                                         ^
                hint: containers map to topology nodes by name: alfa (𝛼), beta (𝛽), gamma (𝛾), delta (𝛿), \
                epsilon (𝜀), mu (𝜇), lambda (𝜆), rho (𝜌); or decide with --assume "2=NODE"
                """
            ])
        let assumed = try importScript(text, assumptions: [2: "mu"])
        #expect(assumed.plan.steps[0].blocks.map(\.node) == ["mu"])
        #expect(
            assumed.report.inferences.map(\.summary) == [["run.sh:2: unknown name 'zeta' → mu (assumed by --assume)"]])
    }

    @Test("an unterminated heredoc is a located error")
    func unterminatedHeredoc() {
        #expect(
            errors(ImportTestSupport.text(ImportTestSupport.fixture("scripts/unterminated.sh"))) == [
                """
                run.sh:2:5: error: the heredoc 'EOF' is never closed
                    cat <<EOF | lxc exec alfa bash
                        ^
                hint: end it with a line holding only EOF; until then the rest of the script would run in 'alfa'
                """
            ])
    }

    @Test("the ping idiom in its spellings; lines that only look like it stay commands")
    func pingIdiom() throws {
        let reachable = try #require(PingIdiom("ping -q -n -c 1 10.0.0.22 -W 1 &>/dev/null || (echo \"no\"; exit 1)"))
        #expect(reachable.target.description == "10.0.0.22")
        #expect(reachable.expectation == .reachable)
        #expect(reachable.count == 1)
        #expect(reachable.timeoutMilliseconds == 1000)
        let inverted = try #require(
            PingIdiom("ping -q -n -c 2 -W 0.5 10.0.0.22 > /dev/null 2>&1 && { echo \"yes\"; exit 3; }"))
        #expect(inverted.expectation == .unreachable)
        #expect(inverted.count == 2)
        #expect(inverted.timeoutMilliseconds == 500)
        let namespaced = try #require(
            PingIdiom("ip netns exec entr05 ping -qn -c1 fe80::1 -W1 &>/dev/null || (exit 1)"))
        #expect(namespaced.netns == "entr05")
        #expect(namespaced.target.description == "fe80::1")
        for other in [
            "ping -q -n -c 1 10.0.0.22 -W 1", "ping -c 1 10.0.0.22 || echo lost", "ping -c 0 10.0.0.22 || (exit 1)",
            "ping -c 1 -W 100 10.0.0.22 || (exit 1)", "ping -c 1 10.0.0.22 10.0.0.23 || (exit 1)",
            "ping -c 1 host.example || (exit 1)", "ping -c 1 10.0.0.22 || (echo x; exit 0)",
            "ping -c 1 10.0.0.22 -W 1 > out.txt || (exit 1)",
        ] {
            #expect(PingIdiom(other) == nil, "\(other)")
        }
    }

    @Test("a heredoc mixing commands and pings stays one block of commands")
    func mixedHeredoc() throws {
        let result = try importScript(
            "cat <<EOF | lxc exec beta bash\nset -e\nip link set dev eth1 up\nping -q -n -c 1 10.0.0.1 -W 1 &>/dev/null || (echo x; exit 1)\nEOF\n"
        )
        #expect(result.plan.steps.map(\.isCheck) == [false])
        #expect(result.plan.steps[0].blocks[0].commands.count == 3)
    }

    @Test("host lines, other lxc commands and unquoted expansions are reported, never dropped; sleep is a wait")
    func otherLines() throws {
        let result = try importScript(
            """
            set -e
            lxc launch debian alfa
            sleep 2
            cat <<EOF | lxc exec alfa bash
            echo $HOSTNAME
            EOF
            lxc exec --env A=1 beta -- ip link
            make-coffee --strong
            """)
        #expect(result.plan.notes.map(\.text) == ["set -e", "lxc launch debian alfa"])
        #expect(result.plan.steps.map(\.waitSeconds) == [2, nil])
        #expect(result.plan.steps[0].blocks.isEmpty)
        #expect(result.plan.steps[1].blocks.map(\.node) == ["alfa", "beta"])
        #expect(result.plan.steps[1].blocks[1].lines.map(\.text) == ["ip link"])
        #expect(result.plan.steps[1].notes.map(\.text) == ["make-coffee --strong"])
        #expect(
            result.report.warnings.map(\.message) == [
                "'lxc launch' is not imported: testbed runs commands in the systems, the lab or the topology provides them; the line is kept as a note",
                "the heredoc is not quoted, so the script's own shell expanded '$', '`' and '\\' on this line before lxc ran it; testbed runs the line as written on 'alfa'",
                "this line runs on the controller in the script; testbed keeps it as a note and does not run it",
            ])
        #expect(result.report.warnings.map(\.location.line) == [2, 5, 8])
        #expect(
            result.report.warnings.last?.hint
                == "if it must run on a system, write 'ssh NAME sudo make-coffee …' or 'lxc exec NAME -- make-coffee …'"
        )
    }

    @Test("a heredoc fed to a command other than a shell reaches it on the system as its input, quoted")
    func heredocIntoCommand() throws {
        let result = try importScript("cat <<EOF | lxc exec alfa tee /tmp/x\nline $1\nEOF\n")
        let block = try #require(result.plan.steps.first?.blocks.first)
        #expect(block.lines.map(\.text) == ["cat <<'EOF' | tee /tmp/x", "line $1", "EOF"])
        #expect(block.lines.map(\.location.line) == [1, 2, 3])
        #expect(block.commands.count == 1)
        #expect(result.report.warnings.map(\.location.line) == [2])
    }

    @Test("consecutive ping checks of one node merge only with the same options")
    func pingMerging() throws {
        let result = try importScript(
            """
            lxc exec alfa -- ping -q -n -c 1 10.0.0.1 -W 1 &>/dev/null || (echo a; exit 1)
            lxc exec alfa -- ping -q -n -c 1 10.0.0.2 -W 1 &>/dev/null || (echo b; exit 1)
            lxc exec alfa -- ping -q -n -c 1 10.0.0.3 -W 2 &>/dev/null || (echo c; exit 1)
            lxc exec beta -- ping -q -n -c 1 10.0.0.4 -W 2 &>/dev/null || (echo d; exit 1)
            """)
        let targets = result.plan.steps.map { step -> [String] in
            if case .reach(let check) = step.action { check.targets.map(\.description) } else { [] }
        }
        #expect(targets == [["10.0.0.1", "10.0.0.2"], ["10.0.0.3"], ["10.0.0.4"]])
    }
}
