import Testing

@testable import PlanModel

/// `replay`'s prior state reasons in time: what the page creates itself is never synthesised ahead of it, only
/// what some command needs is added, in an order that applies, and what no prior state can give is the page's
/// own mistake, named with its line and mended by `--repair` where that makes sense.
@Suite struct ReplaySynthesisTests {
    let topology = ImportTestSupport.netsukuku

    func page(_ name: String, topology: Topology? = nil) throws -> ImportResult {
        try PageImporter.parse(
            text: ImportTestSupport.text(ImportTestSupport.fixture("pages/\(name)")), path: name,
            topology: topology ?? self.topology)
    }

    /// The replay plan through the model from fresh lab nodes: every command that would fail.
    func failures(_ plan: Plan, topology: Topology? = nil) -> [String] {
        PlanChecker(topology: topology ?? self.topology).check(plan).failures.map(\.description)
    }

    @Test("a page that creates its namespace and macvlan gets only what it assumes, and runs without File exists")
    func namespaceCreatedHere() throws {
        let result = try page("namespace-here.md")
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(result.plan)
        #expect(synthesis.mistakes.isEmpty)
        #expect(synthesis.unresolved.isEmpty)
        #expect(
            synthesis.script(for: "beta").split(separator: "\n").map(String.init) == [
                "ip netns add entr02",
                "(echo; echo \"250 ntk_from_00:16:3E:5B:78:D5 # xxx_table_ntk_from_00:16:3E:5B:78:D5_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null",
                "ip route add unreachable 10.0.0.0/29 table ntk_from_00:16:3E:5B:78:D5",
                "ip rule add fwmark 0xfa lookup ntk_from_00:16:3E:5B:78:D5",
                "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3e:5b:78:d5 -j MARK --set-xmark 0xfa/0xffffffff",
            ])
        let replay = synthesis.replayPlan(result.plan, sourcePath: "prior", repairing: false)
        #expect(failures(replay) == [])
        #expect(synthesis.refusal(source: result.source, repairing: false) == nil)
    }

    @Test("a change of a route in a namespace the page just created is refused with its line; --repair mends it")
    func inconsistentChange() throws {
        let result = try page("inconsistent-change.md")
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(result.plan)
        #expect(synthesis.unresolved.isEmpty)
        #expect(synthesis.mistakes.map(\.location.line) == [21, 29])
        let refusal = try #require(synthesis.refusal(source: result.source, repairing: false))
        #expect(
            refusal.errors.first?.description == """
                inconsistent-change.md:21:1: error: the page's mistake on beta: `ip netns exec migr01 ip route change \
                10.0.0.16/30 table ntk_from_00:16:3E:5B:78:D5 via 169.254.94.223 dev migr01_eth1 src 169.254.27.218` \
                assumes route 10.0.0.16/30 in table ntk_from_00:16:3E:5B:78:D5 of netns migr01, which is missing when \
                the line runs; no prior state can provide it: as prior state it would make line 7 fail: \
                `ip netns add migr01` (netns migr01 already exists)
                    ip netns exec migr01 ip route change 10.0.0.16/30 table ntk_from_00:16:3E:5B:78:D5 via 169.254.94.223 dev migr01_eth1 src 169.254.27.218
                    ^
                hint: fix the page, or let replay --repair add `ip netns exec migr01 ip route add unreachable \
                10.0.0.16/30 table ntk_from_00:16:3E:5B:78:D5` right before this line
                """)
        #expect(
            synthesis.mistakes[1].assumes
                == "a link route to the gateway 169.254.163.36 through migr01_eth1 in netns migr01")
        #expect(
            synthesis.mistakes[1].repair == [
                "ip netns exec migr01 ip route add 169.254.163.36 dev migr01_eth1 src 169.254.27.218"
            ])
        #expect(synthesis.refusal(source: result.source, repairing: true) == nil)
        // Unrepaired, the page fails on the lab where the model says; repaired, it runs clean.
        let unrepaired = synthesis.replayPlan(result.plan, sourcePath: "prior", repairing: false)
        #expect(failures(unrepaired).count == 2)
        let repaired = synthesis.replayPlan(result.plan, sourcePath: "prior", repairing: true)
        #expect(failures(repaired) == [])
        let blocks = repaired.steps.flatMap(\.blocks).filter { $0.label == "repair" }
        #expect(blocks.map { $0.lines.map(\.location.line) } == [[21], [29]])
        #expect(repaired.counts.commands == result.plan.counts.commands + 3)
    }

    @Test("the system's own NIC is never synthesised inside a namespace, nor a macvlan on top of itself")
    func nicInNamespace() throws {
        let result = try page("nic-in-namespace.md")
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(result.plan)
        #expect(synthesis.items["epsilon"] ?? [] == [])
        #expect(
            synthesis.mistakes.map(\.reason) == [
                "eth1 is the system's own interface, which lives in the default namespace, never in netns entr05"
            ])
        #expect(synthesis.mistakes.first?.repair == nil)
        let refusal = try #require(synthesis.refusal(source: result.source, repairing: true))
        #expect(
            refusal.errors.map(\.hint) == [
                "nothing sensible can stand in for it, so the page itself must be fixed (even --repair stops here)"
            ])
        let node = topology.nodes["epsilon"]
        for name in ["eth1", "eth2", "lo"] {
            #expect(throws: SynthesisRefusal.self) {
                try PriorStateSynthesizer.macvlan(name, in: nil, node: node).get()
            }
        }
        let macvlan = try PriorStateSynthesizer.macvlan("entr05_eth1", in: "entr05", node: node).get()
        #expect(
            macvlan.map(\.rendered) == [
                "ip link add dev entr05_eth1 link eth1 type macvlan", "ip link set dev entr05_eth1 netns entr05",
                "ip netns exec entr05 ip link set dev entr05_eth1 up",
            ])
    }

    @Test("synthesised state comes in an order that applies: the address before the route that uses it as src")
    func validOrder() throws {
        let plan = try PageImporter.parse(
            text: """
                ## Rimozione dell'arco

                **sistema 𝛽**
                ```
                ip route change 10.0.0.16/30 table ntk via 169.254.94.223 dev eth1 src 10.0.0.10
                ip route del 169.254.94.223 dev eth1 src 169.254.96.141
                ```
                """, path: "arc.md", topology: topology
        ).plan
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(plan)
        let script = synthesis.script(for: "beta").split(separator: "\n").map(String.init)
        #expect(
            script == [
                "(echo; echo \"251 ntk # xxx_table_ntk_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null",
                "ip address add 169.254.96.141 dev eth1",
                "ip route add 169.254.94.223 dev eth1 src 169.254.96.141",
                "ip address add 10.0.0.10 dev eth1",
                "ip route add unreachable 10.0.0.16/30 table ntk",
            ])
        var state = try #require(topology.nodes["beta"].map { NodeState.freshLabNode($0) })
        for line in script { #expect(StateModel.run(line, on: &state) == .success, "\(line)") }
        #expect(failures(synthesis.replayPlan(plan, sourcePath: "prior", repairing: false)) == [])
    }

    @Test("a page of placeholders is a template, refused with the placeholder's line")
    func template() throws {
        let plan = try PageImporter.parse(
            text: "## Arco\n\n**sistema 𝛼**\n```\nip route add <LL_B> dev <devA> src <LL_A>\n```\n", path: "t.md",
            topology: topology)
        let synthesis = PriorStateSynthesizer(topology: topology).synthesize(plan.plan)
        #expect(synthesis.templates.map(\.placeholder) == ["<LL_B>"])
        #expect(
            synthesis.refusal(source: plan.source, repairing: true)?.errors.map(\.message) == [
                "the page is a template: `<LL_B>` on alfa stands for a value the page does not give"
            ])
        #expect(TemplateLine.placeholder(in: "cat <<EOF | tee x") == nil)
        #expect(TemplateLine.placeholder(in: "echo \"${HOME}\" <x") == nil)
        #expect(TemplateLine.placeholder(in: "ip route add unreachable {D} table ntk") == "{D}")
    }

    @Test("a page using a card the topology lacks is an input error naming the topology that has it")
    func missingInterface() throws {
        let result = try page("gateway-eth2.md")
        #expect(throws: InputErrors.self) { try TopologyVariants.verify(result.plan, topology: topology) }
        let errors = InterfaceCheck.errors(
            in: result.plan, topology: topology, alternatives: TopologyVariants.siblings(of: topology))
        #expect(
            errors.map(\.message) == [
                "lambda uses eth2, which the topology 'netsukuku-poc' does not give it (it has eth1)"
            ])
        #expect(errors.first?.location.line == 9)
        #expect(
            errors.first?.hint.hasSuffix("topologies/netsukuku-poc/topology-eth2.yaml, where lambda has eth2") == true)
        let variant = try TopologyLoader.load(
            path: ImportTestSupport.repositoryRoot().appendingPathComponent(
                "topologies/netsukuku-poc/topology-eth2.yaml"
            )
            .path)
        let onVariant = try page("gateway-eth2.md", topology: variant)
        try TopologyVariants.verify(onVariant.plan, topology: variant)
        let synthesis = PriorStateSynthesizer(topology: variant).synthesize(onVariant.plan)
        #expect(synthesis.mistakes.isEmpty && synthesis.unresolved.isEmpty)
        #expect(
            failures(synthesis.replayPlan(onVariant.plan, sourcePath: "p", repairing: false), topology: variant) == [])
        // A card the plan creates itself is no missing card.
        let created = try PageImporter.parse(
            text: "## x\n\n**sistema 𝛼**\n```\nip link add eth7 type dummy\nip link set dev eth7 up\n```\n",
            path: "c.md",
            topology: topology)
        #expect(InterfaceCheck.missing(in: created.plan, topology: topology).isEmpty)
    }
}
