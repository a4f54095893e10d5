import PlanModel
import Testing

@Suite("the management path check: routes, rules, the interface and iptables that would cut testbed off")
struct ManagementPathTests {
    static let topologyText = """
        name: t
        nodes:
          gamma:
            interfaces: {eth0: {mac: "00:16:3E:00:00:01"}, eth1: {mac: "00:16:3E:5B:78:D5"}}
        """

    /// gamma with its management address on eth0, as a provider lab's node is at the first connect.
    static func state(management: String) throws -> (NodeState, ManagementPath) {
        let topology = try TopologyLoader.parse(text: topologyText, path: "t.yaml")
        var state = NodeState.freshLabNode(try #require(topology.nodes.values.first))
        for command in [
            "ip link set dev eth0 up", "ip address add \(management)/24 dev eth0", "ip link set dev eth1 up",
        ] {
            _ = StateModel.run(command, on: &state)
        }
        let prefix = try #require(IPPrefix(management + "/24"))
        guard case .v4(let base) = prefix.network.address else { throw CheckError.notV4 }
        let path = ManagementPath(controller: .v4(base + 1), local: try #require(IPAddress(management)))
        return (state, path)
    }

    enum CheckError: Error { case notV4 }

    static func problems(_ planText: String, management: String) throws -> [Diagnostic] {
        let topology = try TopologyLoader.parse(text: topologyText, path: "t.yaml")
        let plan = try PlanLoader.parse(text: planText, path: "plan.yaml", topology: topology)
        let (state, path) = try state(management: management)
        return ManagementPathCheck.problems(
            plan: plan, states: [NodeName("gamma"): state], paths: [NodeName("gamma"): path]
        ) { _ in SourceText(path: "plan.yaml", text: planText) }
    }

    static let documented = """
        steps:
          - id: start
            node: gamma
            run: |
              ip address add 169.254.94.223 dev eth1
              (echo; echo "251 ntk # xxx_table_ntk_xxx") | tee -a /etc/iproute2/rt_tables >/dev/null
              ip rule add table ntk
              ip route add unreachable 10.0.0.0/29 table ntk
              ip route add unreachable 10.0.0.64/29 table ntk
        """

    @Test("the documented unreachable 10.0.0.0/29 in a table consulted before main cuts a 10.0.0.0/24 management")
    func documentedRoutesCut() throws {
        let found = try Self.problems(Self.documented, management: "10.0.0.10")
        #expect(found.count == 1)
        #expect(
            found.first?.message
                == "on node 'gamma' `ip route add unreachable 10.0.0.0/29 table ntk` would take testbed's SSH path away: the controller's address 10.0.0.1 becomes unreachable (unreachable 10.0.0.0/29, table ntk (251), rule 32765)"
        )
        #expect(found.first?.location?.line == 8)
        #expect(found.first?.sourceLine == "      ip route add unreachable 10.0.0.0/29 table ntk")
        #expect(found.first?.category == .refused)
    }

    @Test("the same plan with the management network outside 10.0.0.0/24 is fine")
    func otherManagementFine() throws {
        #expect(try Self.problems(Self.documented, management: "169.254.201.10") == [])
    }

    @Test("the interface set down, its address removed, a DROP rule or policy: each said with its reason")
    func interfaceAndFirewall() throws {
        let cases: [(String, String)] = [
            ("ip link set dev eth0 down", "the management interface eth0 is set down"),
            (
                "ip address del 169.254.201.10/24 dev eth0",
                "the management interface eth0 loses its address 169.254.201.10"
            ),
            ("ip link set dev eth0 netns elsewhere", "the management interface eth0 leaves the default namespace"),
            ("iptables -A INPUT -i eth0 -j DROP", "an iptables rule in INPUT would DROP the traffic of 169.254.201.1"),
            ("iptables -P OUTPUT DROP", "the OUTPUT policy becomes DROP"),
            ("ip route add 169.254.201.1 via 169.254.94.1 dev eth1", "the controller's address 169.254.201.1 would go"),
        ]
        for (command, reason) in cases {
            let plan =
                "steps:\n  - id: s\n    node: gamma\n    run: |\n      ip netns add elsewhere\n"
                + "      ip address add 169.254.94.223/24 dev eth1\n      \(command)\n"
            let found = try Self.problems(plan, management: "169.254.201.10")
            #expect(found.count == 1, "\(command)")
            #expect(found.first?.message.contains(reason) == true, "\(command): \(found.first?.message ?? "nothing")")
        }
    }

    @Test("rules and filters that leave the controller out do not count")
    func harmless() throws {
        let plan = """
            steps:
              - id: s
                node: gamma
                run: |
                  iptables -A INPUT -s 10.9.0.0/16 -j DROP
                  iptables -A INPUT -i eth1 -j DROP
                  iptables -t nat -A POSTROUTING -d 10.0.0.64/27 -j SNAT --to 10.0.0.22
                  ip rule add from 10.9.0.0/16 unreachable
                  ip route add unreachable 10.0.0.0/29
            """
        #expect(try Self.problems(plan, management: "169.254.201.10") == [])
    }

    @Test("SSH_CONNECTION gives the controller and the node's own address")
    func sshConnection() {
        let path = ManagementPath(sshConnection: "169.254.201.1 50122 169.254.201.12 22")
        #expect(path?.controller.description == "169.254.201.1")
        #expect(path?.local.description == "169.254.201.12")
        #expect(ManagementPath(sshConnection: "") == nil)
        #expect(ManagementPath(sshConnection: "UNKNOWN 65535 UNKNOWN 65535") == nil)
    }
}
