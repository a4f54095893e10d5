import Testing

@testable import PlanModel

/// Older replay scripts: systems driven with `ssh NODE sudo CMD` and `cat <<EOF | ssh NODE bash`, producers on
/// the controller piped into a system's command, `bash -c`, `set -e`/`set +e` and `sleep` between blocks.
@Suite struct ScriptSSHImportTests {
    let topology = ImportTestSupport.netsukuku

    func importScript(_ text: String, path: String = "old.sh") throws(InputErrors) -> ImportResult {
        try ScriptImporter.parse(text: text, path: path, topology: topology)
    }

    func errors(_ text: String) -> [String] {
        do {
            _ = try importScript(text)
            return []
        } catch {
            return error.errors.filter { $0.severity == .error }.map(\.description)
        }
    }

    func fixture(_ name: String) throws -> ImportResult {
        try importScript(ImportTestSupport.text(ImportTestSupport.fixture("scripts/\(name)")), path: name)
    }

    @Test("an ssh script imports into the same steps, blocks and lines as its lxc exec twin")
    func sshTwin() throws {
        let lxc = try fixture("start-arc-lxc.sh")
        let ssh = try fixture("start-arc-ssh.sh")
        #expect(ssh.report.warnings.isEmpty)
        #expect(lxc.report.warnings.isEmpty)
        #expect(ssh.plan.withoutLocations().steps == lxc.plan.withoutLocations().steps)
        #expect(ssh.report.nodes.map(\.node) == ["beta", "gamma"])
        #expect(ssh.report.blocks == 8)
        #expect(ssh.report.checks == 1)
        let start = ssh.plan.steps[1].blocks
        #expect(
            start.map { $0.lines.map(\.text) } == [
                [
                    "set -e", "sysctl net.ipv4.ip_forward=1 &>/dev/null", "ip link set dev eth1 up",
                    "ip address add 169.254.96.141 dev eth1",
                ],
                ["(echo; echo \"251 ntk # xxx_table_ntk_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null"],
                ["ip rule add table ntk"],
            ])
        #expect(ssh.plan.steps.map(\.waitSeconds).compactMap { $0 } == [1])
        let arc = try #require(ssh.plan.steps.first { $0.title == "beta and gamma form an arc" })
        #expect(
            arc.blocks[0].lines.map(\.text) == ["set -e", "ip route add 169.254.94.223 dev eth1 src 169.254.96.141"])
        #expect(arc.blocks[0].lines.map(\.location.line) == [26, 27])
    }

    @Test("the piped rt_tables line names the table on the system, so the next rule finds it")
    func pipedTee() throws {
        let result = try fixture("start-arc-ssh.sh")
        let report = PlanChecker(topology: topology).check(result.plan)
        #expect(report.failures.map(\.description) == [])
        let beta = try #require(report.finalStates["beta"])
        #expect(beta.rtTables.tableID(named: "ntk") == 251)
        #expect(beta.namespace(nil)?.rules.contains { $0.table == 251 } == true)
    }

    @Test("ssh forms: options, user@host, a quoted remote command, sudo -n, bash -c over several lines")
    func sshForms() throws {
        let result = try importScript(
            """
            ssh -o StrictHostKeyChecking=no -i key -l root -p 2222 alfa sudo -n ip link set dev eth1 up
            ssh admin@beta 'sudo ip address add 169.254.96.141 dev eth1'
            lxc exec gamma -- bash -c '
            ip link set dev eth1 up
            ip address add 169.254.94.223 dev eth1
            '
            ssh -tt delta sudo ip link set dev eth1 up && sudo ip address add 169.254.253.216 dev eth1
            """)
        let blocks = result.plan.steps.flatMap(\.blocks)
        #expect(blocks.map(\.node) == ["alfa", "beta", "gamma", "delta"])
        #expect(
            blocks.map { $0.lines.map(\.text) } == [
                ["ip link set dev eth1 up"], ["ip address add 169.254.96.141 dev eth1"],
                ["", "ip link set dev eth1 up", "ip address add 169.254.94.223 dev eth1", ""],
                ["ip link set dev eth1 up && ip address add 169.254.253.216 dev eth1"],
            ])
        #expect(blocks[2].lines.map(\.location.line) == [3, 4, 5, 6])
        #expect(blocks[0].lines[0].location.column == 61)
        #expect(result.report.warnings.isEmpty)
    }

    @Test("a producer other than echo or printf of literal words is refused, with what it would do on the controller")
    func refusedProducers() {
        #expect(
            errors("cat /etc/hosts | ssh beta sudo tee -a /etc/hosts\n") == [
                """
                old.sh:1:1: error: the producer 'cat /etc/hosts' piped into 'beta' runs on the controller, and 'cat /etc/hosts' reads the controller's files
                    cat /etc/hosts | ssh beta sudo tee -a /etc/hosts
                    ^
                hint: testbed runs the whole pipeline on the system; write the input with echo or printf of literal words, or as a heredoc: cat <<'EOF' | … (the lines) … EOF
                """
            ])
        #expect(
            errors("echo \"$LINE\" | lxc exec beta -- tee -a /etc/iproute2/rt_tables\n").first?.contains(
                "and it expands '$LINE\"…' in the controller's shell, which testbed does not have") == true)
        #expect(errors("hostname | ssh beta sudo tee /tmp/name\n").first?.contains("it runs 'hostname'") == true)
        #expect(errors("printf '%s\\n' '250 ntk_from_x' | ssh beta sudo tee -a /tmp/t\n").isEmpty)
    }

    @Test("sudo -u, an ssh line without a system and lost quotes are reported precisely")
    func reportedSSHLines() throws {
        #expect(
            errors("ssh beta sudo -u nobody ip link\n") == [
                """
                old.sh:1:5: error: 'sudo -u' runs the command as someone else on 'beta'
                    ssh beta sudo -u nobody ip link
                        ^
                hint: testbed runs every command as root through its agent; drop the sudo option or the line
                """
            ])
        let result = try importScript(
            "ssh beta sudo bash -c 'ip link set dev eth1 up; ip route'\nssh -v\nscp plan.txt beta:/tmp\n")
        #expect(
            result.report.warnings.map(\.message) == [
                "ssh joins its words with spaces and the remote shell splits them again, so this line's quotes do not reach 'beta' (it would run 'sudo bash -c ip link set dev eth1 up; ip route'); testbed runs the command as the quotes say",
                "this ssh line names no system and command testbed can read; it is kept as a note and not run",
                "'scp' copies files between the controller and the systems; testbed does not copy files, the line is kept as a note",
            ])
        #expect(result.plan.steps.flatMap(\.blocks).first?.lines.map(\.text) == ["ip link set dev eth1 up; ip route"])
    }

    @Test("set +e is reported where the script stops stopping at failures; set -e is what testbed does anyway")
    func errexit() throws {
        let result = try importScript(
            "set -eu\nssh beta sudo ip link\nset +e\nssh beta sudo ip route del 10.0.0.1\nset -e\nset +o errexit\n")
        #expect(result.report.warnings.map(\.location.line) == [3, 6])
        #expect(
            result.report.warnings.first?.message
                == "after 'set +e' the script goes on when a command fails, but testbed stops at a failing block (the line is kept as a note)"
        )
        #expect(ShellWords.errexit(["set", "-o", "errexit"]) == true)
        #expect(ShellWords.errexit(["set", "-x"]) == nil)
    }

    @Test("in a block, set +e lets bash go on after a failing command, as the agent does; set -e stops again")
    func blockErrexit() {
        let location = InputLocation(file: "b.sh", line: 1)
        func block(_ lines: [String]) -> NodeBlock {
            NodeBlock(node: "beta", lines: lines.map { ScriptLine($0, at: location) }, location: location)
        }
        let fresh = StateTestSupport.freshBeta()
        let tolerant = StateModel.evaluate(
            block(["set +e", "ip route del 10.0.0.1 dev eth1", "ip address add 10.0.0.32 dev lo"]), from: fresh)
        #expect(tolerant.results.count == 3)
        #expect(tolerant.stoppedAt == nil)
        #expect(tolerant.state.namespace(nil)?.link(named: "lo")?.addresses.count == 2)
        let lastFails = StateModel.evaluate(block(["set +e", "ip route del 10.0.0.1 dev eth1"]), from: fresh)
        #expect(lastFails.stoppedAt == 1)
        let strict = StateModel.evaluate(
            block(["set +e", "set -e", "ip route del 10.0.0.1 dev eth1", "ip address add 10.0.0.32 dev lo"]),
            from: fresh)
        #expect(strict.results.count == 3)
        #expect(strict.stoppedAt == 2)
    }

    @Test("sleep between blocks is a wait step that holds back what follows; it renders and reads back")
    func sleepWait() throws {
        let result = try importScript("ssh beta sudo ip link\nsleep 0.5\nsleep 2s\nssh gamma sudo ip link\n")
        #expect(result.plan.steps.map(\.waitSeconds) == [nil, 0.5, 2, nil])
        #expect(result.plan.steps.map(\.actsAsBarrier) == [false, true, true, false])
        let schedule = try Schedule.make(for: result.plan, mode: .parallel)
        #expect(schedule.stages.map { $0.units.map(\.node) } == [["beta"], [], [], ["gamma"]])
        #expect(schedule.stages.map { $0.pause?.milliseconds } == [nil, 500, 2000, nil])
        let page = PageRenderer.render(result.plan, topology: topology)
        #expect(page.contains("<!-- testbed:step wait=\"0.5\" -->"))
        let back = try PageImporter.parse(text: page, path: "r.md", topology: topology)
        #expect(back.plan.withoutLocations() == result.plan.withoutLocations())
        let yaml = PlanYAMLWriter.write(result.plan, topology: topology)
        let fromYAML = try PlanLoader.parse(text: yaml, path: "p.yaml", topology: topology)
        #expect(fromYAML.steps.map(\.waitSeconds) == [nil, 0.5, 2, nil])
    }
}
