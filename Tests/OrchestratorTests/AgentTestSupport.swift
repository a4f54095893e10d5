import Foundation
import NodeAgentProtocol
import PlanModel
import Testing

@testable import Orchestrator

#if canImport(Glibc)
    import Glibc
#endif

/// Starts real local agents (bash through `PipeAgentStream`) and throwaway network namespaces for the
/// Agent* suites.
enum AgentTestSupport {
    /// The deadline given to calls that should finish quickly.
    static let patience: Duration = .seconds(20)

    static var isRoot: Bool { getuid() == 0 }

    /// A local agent that has answered hello.
    static func startAgent() throws -> (client: AgentClient, stream: PipeAgentStream) {
        let stream = try PipeAgentStream.launchLocalAgent()
        let client = AgentClient(stream: stream)
        _ = try client.hello(until: .now + patience)
        return (client, stream)
    }

    /// Runs `body` with a fresh local agent and closes it afterwards.
    static func withAgent<R>(_ body: (AgentClient, PipeAgentStream) throws -> R) throws -> R {
        let (client, stream) = try startAgent()
        defer { client.close() }
        return try body(client, stream)
    }

    /// Runs a script on `client` with the default patience.
    static func run(
        _ client: AgentClient, _ script: String, stop: Bool = true, timeout: Duration? = nil,
        netns: NamespaceName? = nil,
        queries: [NodeRequest.StateQuery] = []
    ) throws -> NodeResponse.RunResult {
        try client.run(
            .init(script: script, netns: netns, timeout: timeout, stopAtFirstFailure: stop, stateQueries: queries),
            until: .now + patience)
    }

    /// Whether a process group still has a living member. Zombies do not count: here PID 1 reaps orphans
    /// late, and a zombie still belongs to its group.
    static func processGroupHasLivingMembers(_ pgid: Int32) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in entries where Int32(name) != nil {
            guard let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // pid (comm) state ppid pgrp …; comm may contain spaces, so split after the last ')'.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, fields[0] != "Z", Int32(fields[2]) == pgid { return true }
        }
        return false
    }
}

/// A network namespace that exists for one test: loopback up, plus a veth pair with 198.51.100.1/24 on
/// `v0`, so that pings to 198.51.100.2 go out of `v0` and are never answered, and no packet leaves it.
struct ThrowawayNamespace {
    let name: String
    /// The same name, as requests take it.
    var namespace: NamespaceName { NamespaceName(stringLiteral: name) }

    init(_ label: String) throws {
        name = "tb-\(label)-\(getpid())"
        let ip = ProcessEnvironment.which("ip") ?? "/usr/sbin/ip"
        for arguments in [
            ["netns", "add", name], ["-n", name, "link", "set", "lo", "up"],
            ["-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1"],
            ["-n", name, "address", "add", "198.51.100.1/24", "dev", "v0"], ["-n", name, "link", "set", "v0", "up"],
            ["-n", name, "link", "set", "v1", "up"],
        ] {
            let output = try ProcessRunner.run(ip, arguments)
            guard output.status.isSuccess else {
                remove()
                throw NamespaceSetupError(step: arguments.joined(separator: " "), output: output.stderrText)
            }
        }
    }

    func remove() {
        let ip = ProcessEnvironment.which("ip") ?? "/usr/sbin/ip"
        _ = try? ProcessRunner.run(ip, ["netns", "delete", name])
    }
}

struct NamespaceSetupError: Error, CustomStringConvertible {
    let step: String
    let output: String
    var description: String { "ip \(step) failed: \(output)" }
}
