import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

/// State queries, namespaces and pings through a real local agent. Pings go only to loopback and to
/// documentation addresses inside a throwaway namespace, so no packet leaves the machine.
@Suite(.timeLimit(.minutes(2))) struct AgentStateAndPingTests {
    private typealias Support = AgentTestSupport

    @Test("state queries run after the block, each in its own section, without changing the block's result")
    func rootQueries() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(
                client, "echo block; false",
                queries: [
                    .init(.rtTables), .init(.links), .init(.sysctl(names: ["kernel.osrelease", "no.such.key"])),
                ])
            #expect(result.exitStatus == 1)
            #expect(result.failedLine == 1)
            #expect(result.stdoutText == "block\n")
            try #require(result.stateOutputs.count == 3)
            #expect(result.stateOutputs.map(\.query.kindName) == ["rtTables", "links", "sysctl"])
            let tables = result.stateOutputs[0]
            #expect(tables.exitStatus == 0)
            #expect(tables.text.contains("254\tmain"))
            let links = result.stateOutputs[1]
            let json = try JSONSerialization.jsonObject(with: Data(links.bytes)) as? [[String: Any]]
            #expect(json?.contains { $0["ifname"] as? String == "lo" } == true)
            let sysctl = result.stateOutputs[2]
            #expect(sysctl.exitStatus == 1)
            #expect(sysctl.text.hasPrefix("kernel.osrelease = "))
            #expect(String(decoding: sysctl.stderr, as: UTF8.self).contains("cannot read no.such.key"))
        }
    }

    @Test("a per-interface sysctl of an interface this namespace lacks is absent, not a failed query")
    func sysctlOfAbsentInterface() throws {
        try Support.withAgent { client, _ in
            let result = try Support.run(
                client, "true",
                queries: [.init(.sysctl(names: ["kernel.osrelease", "net.ipv4.conf.tbnosuch0.rp_filter"]))])
            let sysctl = try #require(result.stateOutputs.first)
            #expect(sysctl.exitStatus == 0, "\(String(decoding: sysctl.stderr, as: UTF8.self))")
            #expect(sysctl.text.hasPrefix("kernel.osrelease = "))
            #expect(!sysctl.text.contains("tbnosuch0"))
        }
    }

    @Test("hello reports non-empty versions of protocol, bash, iproute2 and the kernel")
    func hello() throws {
        try Support.withAgent { client, _ in
            let info = try #require(client.helloInfo)
            #expect(info.protocolVersion == .current)
            #expect(info.agentVersion == AgentScript.version)
            #expect(!info.hostname.isEmpty)
            #expect(info.kernelRelease.first?.isNumber == true)
            #expect(info.bashVersion.hasPrefix("5.") || info.bashVersion.hasPrefix("4."))
            #expect(info.iproute2Version.contains("iproute2"))
        }
    }

    @Test("a block and its queries run inside a network namespace", .enabled(if: AgentTestSupport.isRoot))
    func namespaceRun() throws {
        let namespace = try ThrowawayNamespace("run")
        defer { namespace.remove() }
        try Support.withAgent { client, _ in
            let result = try Support.run(
                client, "ip -br link show v0 | cut -d' ' -f1\nip link add v9 type veth peer name v10",
                netns: namespace.namespace, queries: [.init(.links, netns: namespace.namespace), .init(.routes)])
            #expect(result.exitStatus == 0, "\(result.stderrText)")
            #expect(result.stdoutText == "v0@v1\n")
            #expect(result.stateOutputs[0].text.contains("\"v9\""))
            #expect(!result.stateOutputs[1].text.contains("198.51.100.0/24"))
            let outside = try Support.run(client, "ip link show v9")
            #expect(outside.exitStatus != 0)
        }
    }

    @Test("a run in a namespace that does not exist is rejected, and the connection stays usable")
    func missingNamespace() throws {
        try Support.withAgent { client, _ in
            #expect {
                try Support.run(client, "echo never", netns: NamespaceName("tb-no-such-ns-\(getpid())"))
            } throws: { error in
                let error = error as? AgentError
                return error?.code == .rejected && error?.message.contains("does not exist on this node") == true
            }
            #expect(client.isUsable)
            let next = try Support.run(client, "echo fine")
            #expect(next.stdoutText == "fine\n")
        }
    }

    @Test("loopback answers pings, concurrently with the other addresses")
    func pingLoopback() throws {
        try Support.withAgent { client, _ in
            let started = ContinuousClock.now
            let result = try client.ping(
                .init(addresses: ["127.0.0.1", "::1", "127.0.0.2"], count: 2, timeout: .seconds(1)),
                until: .now + Support.patience)
            #expect(ContinuousClock.now - started < .seconds(3), "pings ran one after another?")
            for target in result.targets {
                #expect(target.isReachable, "\(target)")
                #expect(target.transmitted == 2)
                #expect(target.received == 2)
                #expect(target.averageRoundTrip != nil)
            }
            #expect(result.targets.map(\.address) == ["127.0.0.1", "::1", "127.0.0.2"])
        }
    }

    @Test("documentation addresses inside a throwaway namespace are unreachable", .enabled(if: AgentTestSupport.isRoot))
    func pingUnreachable() throws {
        let namespace = try ThrowawayNamespace("ping")
        defer { namespace.remove() }
        try Support.withAgent { client, _ in
            let result = try client.ping(
                .init(
                    addresses: ["198.51.100.2", "192.0.2.1", "127.0.0.1", "fe80::1%v0"], netns: namespace.namespace,
                    count: 1,
                    timeout: .milliseconds(300)),
                until: .now + Support.patience)
            try #require(result.targets.count == 4)
            let silent = result.targets[0]
            #expect(!silent.isReachable)
            #expect(silent.exitStatus == 1)
            #expect(silent.transmitted == 1)
            #expect(silent.received == 0)
            #expect(silent.averageRoundTrip == nil)
            let noRoute = result.targets[1]
            #expect(!noRoute.isReachable)
            #expect(noRoute.exitStatus == 2)
            #expect(result.targets[2].isReachable)
            #expect(result.targets[3].address == "fe80::1%v0")  // a zone passes the agent's own checks
        }
    }
}
