import Orchestrator
import PlanModel
import Testing

/// The path tracer on model states built by running plan lines through the state model: alfa → beta → gamma
/// on one segment, beta marking alfa's packets and looking them up in a table of their own.
@Suite struct PathTracerTests {
    static let tables = RTTablesFile(
        text: "255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n100\tntk\n101\tntk_from_00:16:3E:00:00:01\n")

    /// A node with `lo` and `eth1` (link-local, MAC ending in `number`), then `lines` run from plan.yaml line 10.
    static func node(
        _ name: String, number: Int, loopback: String, lines: [String], provenance: StateProvenance
    ) throws -> NodeState {
        let links = [
            Link(id: 1, name: "lo", kind: .loopback, isUp: true),
            Link(id: 2, name: "eth1", kind: .ethernet, mac: MACAddress("00:16:3E:00:00:0\(number)"), isUp: true),
        ]
        var start = NodeState(
            node: try #require(NodeName(rawValue: name)), rtTables: tables,
            namespaces: ["": NamespaceState(name: nil, links: links, sysctls: ["net.ipv4.ip_forward": "1"])])
        // The lab's addresses, there before the plan: the model adds their local and connected routes.
        for command in ["ip address add \(loopback)/32 dev lo", "ip address add 169.254.1.\(number)/16 dev eth1"] {
            _ = StateModel.run(command, on: &start)
        }
        let block = NodeBlock(
            node: try #require(NodeName(rawValue: name)), netns: nil,
            lines: lines.enumerated().map {
                ScriptLine($0.element, at: InputLocation(file: "plan.yaml", line: 10 + $0.offset))
            },
            location: InputLocation(file: "plan.yaml", line: 9))
        var state = start
        for command in block.commands { _ = StateModel.run(command.text, on: &state) }
        provenance.record(block, from: start)
        return state
    }

    static func fleet(betaTable: [String], forwarding: String = "1") throws -> PathTracer {
        let provenance = StateProvenance()
        let alfa = try node(
            "alfa", number: 1, loopback: "10.0.0.1",
            lines: [
                "ip rule add table ntk",
                "ip route add 10.0.0.16/30 table ntk via 169.254.1.2 dev eth1 src 10.0.0.1",
            ], provenance: provenance)
        let beta = try node(
            "beta", number: 2, loopback: "10.0.0.2",
            lines: [
                "sysctl -w net.ipv4.ip_forward=\(forwarding)",
                "iptables -t mangle -A PREROUTING -m mac --mac-source 00:16:3E:00:00:01 -j MARK --set-mark 250",
                "ip rule add table ntk",
                "ip rule add fwmark 250 table ntk_from_00:16:3E:00:00:01",
                "ip route add 10.0.0.0/29 table ntk via 169.254.1.1 dev eth1",
            ] + betaTable, provenance: provenance)
        let gamma = try node(
            "gamma", number: 3, loopback: "10.0.0.18",
            lines: ["ip rule add table ntk", "ip route add 10.0.0.0/29 table ntk via 169.254.1.2 dev eth1"],
            provenance: provenance)
        return PathTracer(states: ["alfa": alfa, "beta": beta, "gamma": gamma], provenance: provenance.provenance)
    }

    @Test("a planted unreachable in the mark's table: the hop, the mark, the table and the plan line are named")
    func plantedUnreachable() throws {
        let tracer = try Self.fleet(betaTable: [
            "ip route add unreachable 10.0.0.16/30 table ntk_from_00:16:3E:00:00:01",
            "ip route add 10.0.0.16/30 table ntk via 169.254.1.3 dev eth1",
        ])
        let trace = tracer.trace(from: "alfa", to: try #require(IPAddress("10.0.0.18")))
        #expect(
            trace.line
                == "10.0.0.18 from alfa: alfa table ntk via 169.254.1.2 (beta) → beta: mark 250 (plan.yaml:11) → table "
                + "ntk_from_00:16:3E:00:00:01 (rule 32764 (plan.yaml:13)) says unreachable 10.0.0.16/30 (plan.yaml:15)")
        #expect(!trace.delivered)
        #expect(trace.hops.map(\.node) == ["alfa", "beta"])
        #expect(trace.hops.last?.mark == 250)
        #expect(trace.hops.last?.incoming == "eth1")
        #expect(trace.hops.last?.source == IPAddress("10.0.0.1"))
    }

    @Test("the right route: delivered at gamma, through beta, and the reply comes back to alfa")
    func delivered() throws {
        let tracer = try Self.fleet(betaTable: [
            "ip route add 10.0.0.16/30 table ntk_from_00:16:3E:00:00:01 via 169.254.1.3 dev eth1"
        ])
        let trace = tracer.trace(from: "alfa", to: try #require(IPAddress("10.0.0.18")))
        #expect(trace.delivered)
        #expect(trace.destinationNode == "gamma")
        #expect(trace.finalSource == IPAddress("10.0.0.1"))
        #expect(
            trace.line
                == "10.0.0.18 from alfa: alfa table ntk via 169.254.1.2 (beta) → beta: mark 250 (plan.yaml:11) beta "
                + "table ntk_from_00:16:3E:00:00:01 via 169.254.1.3 (gamma) → gamma: delivered")
        let back = tracer.trace(from: "gamma", to: try #require(IPAddress("10.0.0.1")), source: IPAddress("10.0.0.18"))
        #expect(back.delivered)
        #expect(back.hops.map(\.node) == ["gamma", "beta", "alfa"])
    }

    @Test("a gateway no node has is misrouted at the hop that chose it, with the route's plan line")
    func misrouted() throws {
        let tracer = try Self.fleet(betaTable: [
            "ip route add 10.0.0.16/30 table ntk_from_00:16:3E:00:00:01 via 169.254.1.9 dev eth1"
        ])
        let trace = tracer.trace(from: "alfa", to: try #require(IPAddress("10.0.0.18")))
        #expect(!trace.delivered)
        #expect(
            trace.verdict
                == "beta table ntk_from_00:16:3E:00:00:01 via 169.254.1.9 dev eth1 (plan.yaml:15): no node has "
                + "169.254.1.9, misrouted")
    }

    @Test("forwarding off on beta drops it there, naming the sysctl's plan line")
    func forwardingOff() throws {
        let tracer = try Self.fleet(
            betaTable: ["ip route add 10.0.0.16/30 table ntk_from_00:16:3E:00:00:01 via 169.254.1.3 dev eth1"],
            forwarding: "0")
        let trace = tracer.trace(from: "alfa", to: try #require(IPAddress("10.0.0.18")))
        #expect(trace.verdict == "beta drops it: forwarding is off (net.ipv4.ip_forward=0) (plan.yaml:10)")
    }

    @Test("no route at all in beta's tables: said at beta")
    func noRoute() throws {
        let tracer = try Self.fleet(betaTable: [])
        let trace = tracer.trace(from: "alfa", to: try #require(IPAddress("10.0.0.18")))
        #expect(trace.verdict == "beta: no route to 10.0.0.18 in any table its rules look up")
    }

    @Test("the explanation asks each hop's kernel and names the first hop where the kernel or the model drops it")
    func explanationLines() throws {
        let tracer = try Self.fleet(betaTable: [
            "ip route add unreachable 10.0.0.16/30 table ntk_from_00:16:3E:00:00:01"
        ])
        let destination = try #require(IPAddress("10.0.0.18"))
        let trace = tracer.trace(from: "alfa", to: destination)
        let alfa = KernelRouteQuery.parse(
            "10.0.0.18 via 169.254.1.2 dev eth1 table ntk src 10.0.0.1 uid 0\nstatus=0\nip_forward=1\nrp_filter=0/\n")
        let beta = KernelRouteQuery.parse(
            "RTNETLINK answers: No route to host\nstatus=2\nip_forward=1\nrp_filter=0/2\n")
        let lines = ReachExplanation.lines(
            there: .init(destination: destination, trace: trace, answers: [alfa, beta]), back: nil)
        #expect(
            lines.dropFirst() == [
                "  alfa: ip route get 10.0.0.18 → 10.0.0.18 via 169.254.1.2 dev eth1 table ntk src 10.0.0.1 uid 0 "
                    + "(ip_forward=1)",
                "  beta: ip route get 10.0.0.18 from 10.0.0.1 iif eth1 mark 250 → RTNETLINK answers: No route to host "
                    + "(ip_forward=1 rp_filter=0/2)",
                "first wrong hop (on the way there): beta: table ntk_from_00:16:3E:00:00:01 (rule 32764 (plan.yaml:13)) "
                    + "says unreachable 10.0.0.16/30 (plan.yaml:15)",
            ])
        // A kernel that routes where the model drops: the node's state is not what the model holds.
        let routed = KernelRouteQuery.parse("10.0.0.18 via 169.254.1.3 dev eth1 src 10.0.0.2\nstatus=0\n")
        let differing = ReachExplanation.lines(
            there: .init(destination: destination, trace: trace, answers: [alfa, routed]), back: nil)
        #expect(
            differing.last
                == "first wrong hop (on the way there): beta — the model's state differs from the node: the kernel "
                + "routes it (10.0.0.18 via 169.254.1.3 dev eth1 src 10.0.0.2) where the model drops it")
    }

    @Test("ip route get answers are read: gateway, device, table, local, errors")
    func parseAnswers() throws {
        let forwarded = KernelRouteQuery.parse(
            "10.0.0.18 from 10.0.0.1 via 169.254.1.3 dev eth1 table 101 mark 0xfa \nstatus=0\n")
        #expect(forwarded.gateway == IPAddress("169.254.1.3"))
        #expect(forwarded.device == "eth1")
        #expect(forwarded.table == "101")
        #expect(!forwarded.failed)
        let local = KernelRouteQuery.parse("local 10.0.0.18 dev lo table local src 10.0.0.18 uid 0\nstatus=0\n")
        #expect(local.isLocal)
        #expect(KernelRouteQuery.parse("RTNETLINK answers: Network is unreachable\nstatus=2\n").failed)
        #expect(
            KernelRouteQuery.command(
                for: .init(node: "beta", netns: nil, incoming: "eth 1", source: IPAddress("10.0.0.1"), mark: 250),
                destination: try #require(IPAddress("10.0.0.18")))
                == "ip route get 10.0.0.18 from 10.0.0.1 iif 'eth 1' mark 250")
    }
}
