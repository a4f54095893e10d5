import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

private typealias Support = AgentTestSupport

/// Which program the agent pings with: fping for every address of a request in one process when the node has
/// it, one iputils ping per address otherwise (and for what fping cannot take), with the same per-address
/// answers either way. The agent runs with a PATH of wrappers that log each call before running the real tool.
/// Serialized: every test pings from the one namespace named after this process.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: AgentTestSupport.isRoot && LoggingToolPath.fping != nil))
struct AgentFpingTests {
    /// Reachable, silent (out of v0, never answered), no route, and a zone only ping takes.
    static let addresses = ["127.0.0.1", "198.51.100.2", "192.0.2.1", "fe80::1%v0"]

    @Test("with fping, one process pings every address and each keeps its own answer, in request order")
    func onePing() throws {
        let tools = try LoggingToolPath(wrapping: ["ping", "fping", "nsenter"])
        defer { tools.remove() }
        let result = try ping(through: tools)
        try expectPerAddressAnswers(result)
        let calls = tools.calls()
        #expect(calls.filter { $0.hasPrefix("fping ") }.count == 1, "\(calls)")
        #expect(calls.contains { $0.hasPrefix("fping ") && $0.hasSuffix("-- 127.0.0.1 198.51.100.2 192.0.2.1") })
        #expect(calls.filter { $0.hasPrefix("ping ") } == ["ping -q -n -c 1 -W 0.300 -- fe80::1%v0"])
        // Both enter the namespace with nsenter --net (one exec, where ip netns exec is two).
        let entered = calls.filter { $0.hasPrefix("nsenter --net=/run/netns/tb-fping-\(getpid()) ") }
        #expect(entered.count == 2, "\(calls)")
    }

    @Test("without nsenter, the pings enter the namespace with ip netns exec and give the same answers")
    func withoutNsenter() throws {
        let tools = try LoggingToolPath(wrapping: ["ip"], hiding: ["nsenter"])
        defer { tools.remove() }
        try expectPerAddressAnswers(try ping(through: tools))
        let calls = tools.calls().filter { $0.hasPrefix("ip netns exec tb-fping-\(getpid()) ") }
        #expect(calls.count == 2, "\(tools.calls())")
    }

    @Test("without fping, one ping per address gives the same answers")
    func pingEach() throws {
        let tools = try LoggingToolPath(wrapping: ["ping"], hiding: ["fping"])
        defer { tools.remove() }
        let result = try ping(through: tools)
        try expectPerAddressAnswers(result)
        let calls = tools.calls()
        #expect(calls.filter { $0.hasPrefix("ping ") }.count == 4, "\(calls)")
        #expect(!calls.contains { $0.hasPrefix("fping") })
    }

    @Test("fping's answers for several echoes: counts and an average per address")
    func severalEchoes() throws {
        let tools = try LoggingToolPath(wrapping: ["ping", "fping"])
        defer { tools.remove() }
        let stream = try PipeAgentStream.launchLocalAgent(environment: tools.environment)
        let client = AgentClient(stream: stream)
        defer { client.close() }
        _ = try client.hello(until: .now + Support.patience)
        let result = try client.ping(
            .init(addresses: ["127.0.0.1", "::1"], count: 2, timeout: .seconds(1)), until: .now + Support.patience)
        #expect(result.targets.map(\.address) == ["127.0.0.1", "::1"])
        for target in result.targets {
            #expect(target.exitStatus == 0 && target.transmitted == 2 && target.received == 2, "\(target)")
            #expect(target.averageRoundTrip != nil)
        }
        #expect(tools.calls().filter { $0.hasPrefix("fping ") && $0.contains("-c 2 ") }.count == 1)
    }

    private func ping(through tools: LoggingToolPath) throws -> NodeResponse.PingResult {
        let namespace = try ThrowawayNamespace("fping")
        defer { namespace.remove() }
        let stream = try PipeAgentStream.launchLocalAgent(environment: tools.environment)
        let client = AgentClient(stream: stream)
        defer { client.close() }
        _ = try client.hello(until: .now + Support.patience)
        return try client.ping(
            .init(addresses: Self.addresses, netns: namespace.namespace, count: 1, timeout: .milliseconds(300)),
            until: .now + Support.patience)
    }

    private func expectPerAddressAnswers(_ result: NodeResponse.PingResult) throws {
        try #require(result.targets.map(\.address) == Self.addresses)
        let (answered, silent, noRoute, zone) = (
            result.targets[0], result.targets[1], result.targets[2], result.targets[3]
        )
        #expect(answered.exitStatus == 0 && answered.received == 1 && answered.averageRoundTrip != nil, "\(answered)")
        #expect(silent.exitStatus == 1 && silent.transmitted == 1 && silent.received == 0, "\(silent)")
        #expect(silent.averageRoundTrip == nil)
        #expect(noRoute.exitStatus == 2, "\(noRoute)")
        #expect(!zone.isReachable, "\(zone)")
    }
}
