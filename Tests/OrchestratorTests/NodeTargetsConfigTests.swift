import Foundation
import PlanModel
import Testing

@testable import Orchestrator

@Suite("nodes from an ssh_config: ProxyJump hops, the topology's netns, timeouts and keepalives on every hop, become")
struct NodeTargetsConfigTests {
    @Test("a bastion and a node behind it, as the topology and the file say")
    func bastion() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-targets-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        Host bastion
            HostName 192.0.2.10
            User jump
            ServerAliveInterval 7
        Host lab-*
            User tb
            ProxyJump bastion
            ForwardAgent yes
        Host lab-beta
            HostName 10.1.0.2
            Port 2222
        """.write(toFile: directory + "/ssh_config", atomically: true, encoding: .utf8)
        let topology = try TopologyLoader.parse(
            text: """
                name: t
                defaults:
                  become: {method: sudo, password_env: PW}
                  ssh: {config: ssh_config, netns: mgmt, connect_timeout: 9, keepalive: 4}
                nodes:
                  beta: {ssh: {host: lab-beta}}
                """, path: directory + "/t.yaml")
        let (targets, notices) = try NodeTargets.remote(topology)
        guard case .ssh(let endpoint)? = targets.first?.1 else {
            Issue.record("no SSH target")
            return
        }
        #expect(endpoint.transport == .tcp(host: "10.1.0.2", port: 2222))
        #expect(endpoint.user == "tb")
        #expect(endpoint.become == Become(passwordEnvironmentVariable: "PW"))
        #expect(endpoint.networkNamespace == nil)
        #expect(endpoint.jumpHosts.map(\.address) == ["192.0.2.10:22 in /run/netns/mgmt"])
        #expect(endpoint.jumpHosts.first?.user == "jump")
        #expect(([endpoint] + endpoint.jumpHosts).allSatisfy { $0.connectTimeout == .seconds(9) })
        #expect(([endpoint] + endpoint.jumpHosts).allSatisfy { $0.keepaliveInterval == .seconds(4) })
        #expect(
            notices == [
                "node 'beta': ssh_config lab-beta: \(directory)/ssh_config:8:5: ForwardAgent ignored: testbed does not use it"
            ])
    }
}
