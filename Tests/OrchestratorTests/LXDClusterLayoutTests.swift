import Foundation
import PlanModel
import Testing

@testable import Orchestrator

/// How a lab is laid out on a user's LXD cluster, without a daemon: placement by number, name and round-robin
/// with located refusals, tunnel ids that avoid the cluster's, and member URLs.
@Suite struct LXDClusterLayoutTests {
    let layout = LXDClusterLayout(
        members: [.init(name: "node-a", address: "10.9.0.1"), .init(name: "node-b", address: "fd00::2")],
        tunnelInterface: "eth0", firstTunnelID: 70_000, isProxied: true)

    func nodes(_ topology: Topology) -> [ProviderLabInfo.Node] {
        topology.nodes.values.enumerated().map { index, node in
            ProviderLabInfo.Node(
                name: node.name, member: 1, instance: "tb-t-\(node.name)", address: "169.254.202.\(10 + index)",
                port: 22, networkNamespace: "/proc/self/ns/net")
        }
    }

    @Test("member by number and by name, the others round-robin; each dialled on its member's address")
    func placement() throws {
        let topology = try TopologyLoader.parse(
            text: """
                name: t
                provider: {kind: lxd, endpoint: {socket: /s}}
                nodes:
                  a: {member: node-b}
                  b: {member: 1}
                  c:
                  d:
                """, path: "t.yaml")
        let placed = try layout.place(nodes(topology), topology: topology, firstPort: 40_100)
        #expect(placed.map(\.memberName) == ["node-b", "node-a", "node-a", "node-b"])
        #expect(placed.map(\.address) == ["fd00::2", "10.9.0.1", "10.9.0.1", "fd00::2"])
        #expect(placed.map(\.port) == [40_100, 40_101, 40_102, 40_103])
        #expect(placed[0].bridgeAddress == "169.254.202.10")
        let info = ProviderLabInfo(
            kind: .lxd, members: 2, accelerator: nil, managementNetwork: "169.254.202.1/24", image: "/i",
            nodes: placed, endpoint: "unix:///s")
        #expect(info.placement == "unix:///s: node-a: b, c; node-b: a, d")
    }

    @Test("members the cluster lacks are refused at once, each at its member: value")
    func misplaced() throws {
        let topology = try TopologyLoader.parse(
            text: """
                name: t
                provider: {kind: lxd, endpoint: {socket: /s}}
                nodes:
                  a: {member: node-z}
                  b: {member: 3}
                """, path: "t.yaml")
        #expect {
            try layout.place(nodes(topology), topology: topology, firstPort: 40_000)
        } throws: { error in
            let text = "\(error)"
            return text.contains("t.yaml:4:15: error: node 'a' is placed on member 'node-z', which the cluster lacks")
                && text.contains("t.yaml:5:15: error: node 'b' is placed on member 3, but the cluster has 2")
                && text.contains("hint: its members are node-a, node-b: write member: 1 to 2, or a name")
        }
    }

    @Test("tunnel ids skip every id the cluster's networks use; the group is made of the id's bytes")
    func tunnelIDs() {
        #expect(LXDClusterLayout.firstFreeTunnelID(count: 3, preferred: 100, used: [10, 99, 103]) == 100)
        #expect(LXDClusterLayout.firstFreeTunnelID(count: 3, preferred: 100, used: [101, 104]) == 105)
        #expect(
            layout.tunnelSettings(segment: 1) == [
                "tunnel.m.protocol=vxlan", "tunnel.m.id=70001", "tunnel.m.group=239.1.17.113",
                "tunnel.m.interface=eth0",
            ])
        #expect(LXDClusterLayout.own(members: 2).tunnelSettings(segment: 0)[2] == "tunnel.m.group=239.0.0.100")
    }

    @Test("a member's address from its URL, IPv6 without brackets; a proxy listens on it in brackets")
    func memberURLs() {
        #expect(LXDClusterLayout.host(ofURL: "https://10.0.0.2:8443") == "10.0.0.2")
        #expect(LXDClusterLayout.host(ofURL: "https://[fd00::2]:8443") == "fd00::2")
        #expect(LXDClusterLayout.host(ofURL: "unix:///s") == nil)
        #expect(LXDClusterLayout.listenAddress("fd00::2") == "[fd00::2]")
        #expect(LXDClusterLayout.listenAddress("10.0.0.2") == "10.0.0.2")
    }
}
