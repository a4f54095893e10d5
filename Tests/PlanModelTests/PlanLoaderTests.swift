import Testing

@testable import PlanModel

@Suite struct PlanLoaderTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(
            text: """
                name: t
                nodes:
                  alfa: {alias: 𝛼}
                  beta: {alias: 𝛽}
                links:
                  - endpoints: [alfa:eth1, beta:eth1]
                """, path: "topo.yaml")
    }

    func errors(_ text: String) -> [String] {
        do {
            _ = try PlanLoader.parse(text: text, path: "plan.yaml", topology: topology)
            return []
        } catch {
            return error.errors.filter { $0.severity == .error }.map {
                "\($0.location.line):\($0.location.column) \($0.message)"
            }
        }
    }

    @Test("blocks keep every line with its own file:line, aliases resolve, checks parse")
    func wellFormed() throws {
        let plan = try PlanLoader.parse(
            text: """
                title: Arc
                steps:
                  - id: arc
                    op: arc
                    blocks:
                      - node: 𝛼
                        run: |
                          ip route add 169.254.96.141 dev eth1 src 169.254.69.30

                          # a comment
                          ip link set dev eth1 \\
                            up
                      - node: beta
                        netns: entr02
                        run: [ip route add 169.254.69.30 dev eth1, true]
                  - id: ping
                    reach: {from: alfa, to: [169.254.96.141], expect: unreachable}
                  - node: beta
                    run: hostname
                  - expect: {node: beta, run: hostname, stdout_contains: beta, status: 0}
                """, path: "plan.yaml", topology: topology)
        #expect(plan.title == "Arc")
        #expect(plan.steps.map(\.id) == ["arc", "ping", "s3", "s4"])
        let block = plan.steps[0].blocks[0]
        #expect(block.node == "alfa")
        #expect(block.label == "𝛼")
        #expect(block.lines.map(\.location.line) == [8, 9, 10, 11, 12])
        #expect(block.lines[0].location.column == 11)
        #expect(block.lines[4].location.column == 11)
        #expect(
            block.commands.map(\.text) == [
                "ip route add 169.254.96.141 dev eth1 src 169.254.69.30", "ip link set dev eth1 \n  up",
            ])
        #expect(block.commands.map(\.location.line) == [8, 11])
        #expect(block.command(atScriptLine: 5)?.firstLine == 4)
        #expect(plan.steps[0].blocks[1].netns == "entr02")
        #expect(plan.steps[0].blocks[1].lines.map(\.location.line) == [15, 15])
        guard case .reach(let reach) = plan.steps[1].action else { Issue.record("not a reach"); return }
        #expect(reach.expectation == .unreachable)
        #expect(plan.steps[1].actsAsBarrier)
        guard case .expect(let check) = plan.steps[3].action else { Issue.record("not an expect"); return }
        #expect(check.stdoutContains == ["beta"])
        #expect(plan.counts.commands == 5)
    }

    @Test("unknown nodes, empty blocks, bad addresses, duplicate ids and mixed actions are located")
    func errorsAreLocated() {
        let found = errors(
            """
            steps:
              - id: a
                blocks:
                  - node: gamma
                    run: ip link
              - id: a
                node: alfa
                run: "# only a comment"
              - reach: {from: alfa, to: [10.0.0.300, beta]}
              - node: alfa
                run: true
                reach: {from: alfa, to: [10.0.0.1]}
              - blocks:
                  - node: alfa
                    netns: "bad name"
                    run: x
            """)
        #expect(
            found == [
                "4:15 unknown node 'gamma'",
                "6:9 step id 'a' is already used by step 1",
                "8:10 block has no commands".replacingOccurrences(of: "block has", with: "step 2 has"),
                "9:30 '10.0.0.300' is not an IP address",
                "9:42 'beta' is not an IP address",
                "10:5 step 4 mixes 'run' and 'reach'",
                "15:16 'bad name' is not a network namespace name",
            ], "\(found)")
    }

    @Test("an unknown node's hint lists the topology's nodes and suggests the closest")
    func unknownNodeHint() throws {
        do {
            _ = try PlanLoader.parse(
                text: "steps:\n  - node: alpha\n    run: true\n", path: "p.yaml", topology: topology)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description == """
                    p.yaml:2:11: error: unknown node 'alpha'
                          - node: alpha
                                  ^
                    hint: did you mean 'alfa'? nodes of topology 't': alfa, beta
                    """)
        }
    }

    @Test("a plan without steps, or not a mapping, is refused")
    func shapes() {
        #expect(errors("title: x\n") == ["1:1 the plan has no 'steps'"])
        #expect(errors("- a\n") == ["1:1 the plan must be a mapping, found a list"])
        #expect(errors("steps: []\n") == ["1:8 'steps' is empty"])
    }
}
