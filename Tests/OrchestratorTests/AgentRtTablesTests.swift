import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

/// The rt_tables state query is read by the agent itself in the root namespace (no `cat` process per block),
/// and still by `cat` inside a named namespace, where `ip netns exec` may bind its own /etc/iproute2.
@Suite(.timeLimit(.minutes(2)), .enabled(if: AgentTestSupport.isRoot))
struct AgentRtTablesTests {
    private typealias Support = AgentTestSupport

    static var tablesPath: String {
        ["/etc/iproute2/rt_tables", "/usr/share/iproute2/rt_tables", "/usr/lib/iproute2/rt_tables"].first {
            FileManager.default.fileExists(atPath: $0)
        } ?? "/etc/iproute2/rt_tables"
    }

    @Test("in the root namespace the agent reads rt_tables byte for byte without starting cat")
    func builtin() throws {
        let tools = try LoggingToolPath(wrapping: ["cat"])
        defer { tools.remove() }
        let output = try query(through: tools, netns: nil)
        #expect(output.exitStatus == 0)
        #expect(output.bytes == Array(try Data(contentsOf: URL(fileURLWithPath: Self.tablesPath))))
        #expect(tools.calls().filter { $0.hasPrefix("cat ") } == [])
    }

    @Test("inside a namespace rt_tables is read by cat there, with the same bytes")
    func inNamespace() throws {
        let namespace = try ThrowawayNamespace("rtt")
        defer { namespace.remove() }
        let tools = try LoggingToolPath(wrapping: ["cat"])
        defer { tools.remove() }
        let output = try query(through: tools, netns: namespace.namespace)
        #expect(output.exitStatus == 0)
        #expect(output.bytes == Array(try Data(contentsOf: URL(fileURLWithPath: Self.tablesPath))))
        #expect(tools.calls().filter { $0.hasPrefix("cat ") }.count == 1, "\(tools.calls())")
    }

    private func query(through tools: LoggingToolPath, netns: NamespaceName?) throws -> NodeResponse.StateOutput {
        let stream = try PipeAgentStream.launchLocalAgent(environment: tools.environment)
        let client = AgentClient(stream: stream)
        defer { client.close() }
        _ = try client.hello(until: .now + Support.patience)
        let result = try Support.run(client, "true", queries: [.init(.rtTables, netns: netns)])
        return try #require(result.stateOutputs.first)
    }
}
