import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

private typealias Support = AgentTestSupport

/// The ip dumps of one namespace (routes, rules, addresses, links) come from one `ip -j -batch` process, each
/// query still answered in its own section, and the namespace list from none; the agent runs with a PATH whose
/// `ip` logs each call.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: AgentTestSupport.isRoot))
struct AgentBatchedDumpTests {
    static let kinds: [NodeRequest.StateQuery.Kind] = [.routes, .rules, .addresses, .links]

    @Test("four ip dumps of the default namespace are one ip -j -batch process, one section each")
    func defaultNamespace() throws {
        let tools = try LoggingToolPath(wrapping: ["ip"])
        defer { tools.remove() }
        let result = try run(Self.kinds.map { .init($0) }, through: tools)
        try expectSections(result)
        #expect(tools.calls().filter { $0.hasPrefix("ip ") && !$0.hasPrefix("ip -V") } == ["ip -j -batch -"])
    }

    @Test("inside a named namespace the batch is one ip -n NS -j -batch process")
    func namedNamespace() throws {
        let namespace = try ThrowawayNamespace("batch")
        defer { namespace.remove() }
        let tools = try LoggingToolPath(wrapping: ["ip"])
        defer { tools.remove() }
        let result = try run(Self.kinds.map { .init($0, netns: namespace.namespace) }, through: tools)
        try expectSections(result)
        let routes = try JSONSerialization.jsonObject(with: Data(result.stateOutputs[0].bytes)) as? [[String: Any]]
        #expect(routes?.contains { $0["dst"] as? String == "198.51.100.0/24" } == true, "the namespace's own route")
        #expect(
            tools.calls().filter { $0.hasPrefix("ip ") && !$0.hasPrefix("ip -V") } == [
                "ip -n \(namespace.name) -j -batch -"
            ])
    }

    @Test("the namespace list of the default namespace starts no process and names what ip netns list names")
    func namespaceListWithoutProcess() throws {
        let namespace = try ThrowawayNamespace("nslist")
        defer { namespace.remove() }
        let tools = try LoggingToolPath(wrapping: ["ip"])
        defer { tools.remove() }
        let result = try run([.init(.namespaces)], through: tools)
        let output = try #require(result.stateOutputs.first)
        #expect(output.exitStatus == 0)
        let listed = try NamespaceListParser.parse(output.text)
        let ip = try ProcessRunner.run(ProcessEnvironment.which("ip") ?? "/usr/sbin/ip", ["-j", "netns", "list"])
        #expect(Set(listed) == Set(try NamespaceListParser.parse(ip.stdoutText)), "\(output.text)")
        #expect(listed.contains(namespace.name))
        #expect(tools.calls().filter { $0.hasPrefix("ip ") && !$0.hasPrefix("ip -V") }.isEmpty, "\(tools.calls())")
    }

    private func run(_ queries: [NodeRequest.StateQuery], through tools: LoggingToolPath) throws
        -> NodeResponse.RunResult
    {
        let stream = try PipeAgentStream.launchLocalAgent(environment: tools.environment)
        let client = AgentClient(stream: stream)
        defer { client.close() }
        _ = try client.hello(until: .now + Support.patience)
        return try Support.run(client, "true", queries: queries)
    }

    /// Every query answered, in order, with one JSON array of its own.
    private func expectSections(_ result: NodeResponse.RunResult) throws {
        try #require(result.stateOutputs.map(\.query.kindName) == ["routes", "rules", "addresses", "links"])
        for output in result.stateOutputs {
            #expect(output.exitStatus == 0, "\(output.query): \(String(decoding: output.stderr, as: UTF8.self))")
            let json = try JSONSerialization.jsonObject(with: Data(output.bytes))
            #expect(json is [[String: Any]], "\(output.query): \(output.text.prefix(80))")
        }
    }
}
