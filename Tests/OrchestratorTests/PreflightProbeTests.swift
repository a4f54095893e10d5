import PlanModel
import Testing

@testable import Orchestrator

@Suite("preflight: the probe's facts judged, every problem of a node at once")
struct PreflightProbeTests {
    static let topology = """
        name: t
        nodes:
          beta:
            interfaces: {eth1: {mac: "00:16:3E:EC:A3:E1"}, eth2: {}}
        """

    func node() throws -> TopologyNode {
        try #require(try TopologyLoader.parse(text: Self.topology, path: "t.yaml").nodes.values.first)
    }

    @Test("missing program, wrong MAC, missing interface, not root, rt_tables, no macvlan: each its diagnostic")
    func findings() throws {
        let output = """
            missing-program ping
            uid 1000
            interface eth1 00:16:3e:00:00:09
            no-interface eth2
            rt-tables read-only
            no-macvlan RTNETLINK answers: Operation not supported
            """
        let found = PreflightProbe.findings(output, node: try node(), subject: "node 'beta' (10.0.0.2:22)")
        #expect(
            found.map(\.message) == [
                "program 'ping' is missing", "the agent runs as uid 1000, not root",
                "interface eth1 has MAC 00:16:3e:00:00:09, the topology says 00:16:3E:EC:A3:E1",
                "interface eth2 that the topology names does not exist", "/etc/iproute2/rt_tables is not writable",
                "macvlan interfaces cannot be made",
            ], "\(found.map(\.message))")
        #expect(found.allSatisfy { $0.category == .refused && $0.subject == "node 'beta' (10.0.0.2:22)" })
        #expect(found[0].hint == "install it: apt-get install iputils-ping")
        #expect(found[5].cause == "RTNETLINK answers: Operation not supported")
    }

    @Test("a ready node has no finding; MACs compare without regard to case")
    func ready() throws {
        let output = "uid 0\ninterface eth1 00:16:3e:ec:a3:e1\ninterface eth2 02:00:00:00:00:01\n"
        #expect(PreflightProbe.findings(output, node: try node(), subject: "s") == [])
    }

    @Test("the features come from the plan: netns and macvlan are tried only when it uses them")
    func features() throws {
        let topology = try TopologyLoader.parse(text: Self.topology, path: "t.yaml")
        let plan = try PlanLoader.parse(
            text: "steps:\n  - id: s\n    node: beta\n    run: ip link add link eth1 name mv0 type macvlan\n",
            path: "p.yaml", topology: topology)
        let features = PreflightProbe.Features.of(plan)
        #expect(features == PreflightProbe.Features(netns: false, macvlan: true))
        let script = PreflightProbe.script(for: try node(), features: features)
        #expect(script.contains("type macvlan"))
        #expect(!PreflightProbe.script(for: try node(), features: .init()).contains("unshare"))
    }
}
