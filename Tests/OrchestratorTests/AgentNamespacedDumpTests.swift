import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

/// Inside a named namespace the agent reads iptables and sysctls through `nsenter --net` (one exec, no mount
/// namespace) and falls back to `ip netns exec` without nsenter; the dumps that resolve table names through
/// the namespace's own /etc/netns/NAME/iproute2 (routes through `ip -n`, rt_tables through `ip netns exec`)
/// keep doing so.
@Suite(.timeLimit(.minutes(2)), .enabled(if: AgentTestSupport.isRoot))
struct AgentNamespacedDumpTests {
    private typealias Support = AgentTestSupport

    static let setup = """
        iptables -t mangle -A PREROUTING -i v0 -j MARK --set-mark 7
        iptables -t nat -A POSTROUTING -o v0 -j MASQUERADE
        sysctl -qw net.ipv4.conf.v0.forwarding=1
        """

    /// The namespace's mangle table alone and a sysctl of an interface only the namespace has.
    static func queries(_ namespace: ThrowawayNamespace) -> [NodeRequest.StateQuery] {
        [
            .init(.iptablesTable("mangle"), netns: namespace.namespace),
            .init(.sysctl(names: ["net.ipv4.conf.v0.forwarding"]), netns: namespace.namespace),
        ]
    }

    /// Adds the namespace's rules and sets its sysctl, through an agent of its own.
    static func prepare(_ namespace: ThrowawayNamespace) throws {
        let setup = try Support.withAgent { client, _ in
            try Support.run(client, Self.setup, netns: namespace.namespace)
        }
        #expect(setup.exitStatus == 0, "\(setup.stderrText)")
    }

    static func expectNamespaceValues(_ outputs: [NodeResponse.StateOutput]) {
        #expect(outputs.map(\.exitStatus) == [0, 0], "\(outputs.map { String(decoding: $0.stderr, as: UTF8.self) })")
        let mangle = outputs.first?.text ?? ""
        #expect(mangle.contains("*mangle\n"), "\(mangle)")
        #expect(mangle.contains("-A PREROUTING -i v0 -j MARK --set-xmark 0x7/0xffffffff\n"), "\(mangle)")
        #expect(!mangle.contains("*nat"), "\(mangle)")
        #expect(outputs.last?.text == "net.ipv4.conf.v0.forwarding = 1\n")
    }

    @Test("a namespace's iptables table and sysctls are read through nsenter --net, with its own values")
    func throughNsenter() throws {
        let namespace = try ThrowawayNamespace("nse")
        defer { namespace.remove() }
        try Self.prepare(namespace)
        let tools = try LoggingToolPath(wrapping: ["nsenter", "ip", "iptables-save"])
        defer { tools.remove() }
        let outputs = try dump(Self.queries(namespace), through: tools)
        Self.expectNamespaceValues(outputs)
        let calls = tools.calls()
        let enter = "nsenter --net=/run/netns/\(namespace.name)"
        #expect(calls.contains("\(enter) iptables-save -t mangle"), "\(calls)")
        #expect(calls.contains("iptables-save -t mangle"), "\(calls)")
        #expect(calls.contains { $0.hasPrefix("\(enter) /bin/bash --noprofile --norc -c ") }, "\(calls)")
        #expect(!calls.contains { $0.hasPrefix("ip netns exec") }, "\(calls)")
    }

    @Test("without nsenter the same dumps go through ip netns exec, with the same values")
    func withoutNsenter() throws {
        let namespace = try ThrowawayNamespace("nsx")
        defer { namespace.remove() }
        try Self.prepare(namespace)
        let tools = try LoggingToolPath(wrapping: ["ip"], hiding: ["nsenter"])
        defer { tools.remove() }
        let outputs = try dump(Self.queries(namespace), through: tools)
        Self.expectNamespaceValues(outputs)
        let calls = tools.calls()
        #expect(calls.contains("ip netns exec \(namespace.name) iptables-save -t mangle"), "\(calls)")
        #expect(calls.contains { $0.hasPrefix("ip netns exec \(namespace.name) /bin/bash") }, "\(calls)")
    }

    @Test("route and rt_tables dumps of a namespace still see its own /etc/netns/NAME/iproute2/rt_tables")
    func namespaceOwnTables() throws {
        let namespace = try ThrowawayNamespace("nsr")
        defer { namespace.remove() }
        let manager = FileManager.default
        let etcExisted = manager.fileExists(atPath: "/etc/netns")
        let directory = "/etc/netns/\(namespace.name)/iproute2"
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            try? manager.removeItem(atPath: "/etc/netns/\(namespace.name)")
            if !etcExisted { try? manager.removeItem(atPath: "/etc/netns") }
        }
        let tables = "255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n77\ttbpern\n"
        try tables.write(toFile: directory + "/rt_tables", atomically: true, encoding: .utf8)
        let tools = try LoggingToolPath(wrapping: ["ip"])
        defer { tools.remove() }
        let stream = try PipeAgentStream.launchLocalAgent(environment: tools.environment)
        let client = AgentClient(stream: stream)
        defer { client.close() }
        _ = try client.hello(until: .now + Support.patience)
        let result = try Support.run(
            client, "ip route add unreachable 10.9.0.0/24 table 77", netns: namespace.namespace,
            queries: [.init(.routes, netns: namespace.namespace), .init(.rtTables, netns: namespace.namespace)])
        #expect(result.exitStatus == 0, "\(result.stderrText)")
        #expect(result.stateOutputs.first?.text.contains(#""table":"tbpern""#) == true)
        #expect(result.stateOutputs.last?.text == tables)
    }

    private func dump(_ queries: [NodeRequest.StateQuery], through tools: LoggingToolPath) throws
        -> [NodeResponse.StateOutput]
    {
        let stream = try PipeAgentStream.launchLocalAgent(environment: tools.environment)
        let client = AgentClient(stream: stream)
        defer { client.close() }
        _ = try client.hello(until: .now + Support.patience)
        return try Support.run(client, "true", queries: queries).stateOutputs
    }
}
