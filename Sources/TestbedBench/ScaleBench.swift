import Foundation
public import Logging
import NodeAgentProtocol
public import Orchestrator
import PlanModel

/// Many nodes at once: lab up and down, connecting to all, one block fanned out to all, memory held.
public enum ScaleBench {
    public struct Figures: Sendable {
        public var nodes: Int
        public var up: Double = 0
        public var down: Double = 0
        public var connect: Double = 0
        /// A block that runs one command (`ip -br address show dev eth1`) sent to every node at once.
        public var fanOut = Samples()
        /// A block with nothing to start (`true`) sent to every node at once: the agent and transport alone.
        public var fanOutTrivial = Samples()
        /// The trivial block sent to 100 of the nodes at once (nil when the lab has fewer).
        public var fanOutTrivialHundred: Samples?
        /// Processes of the lab left after `lab down`, plus named network namespaces added meanwhile.
        public var leftovers = 0
        /// Resident memory of testbed with every session open, in MB.
        public var residentWithSessions: Double = 0
    }

    /// - Throws: `LabError` or `NodeError`.
    public static func measure(nodes: Int, root: String, directory: String, repeats: Int, logger: Logger) async throws
        -> Figures
    {
        let topology = try BenchTopology.segment(name: "scale-\(nodes)", count: nodes, directory: directory)
        var figures = Figures(nodes: nodes)
        let paths = LabPaths(name: topology.name, root: root)
        try LabTeardown(paths: paths, logger: logger).down()
        let namedBefore = namedNamespaces()
        var start = ContinuousClock.now
        let summary = try LabBuilder(topology: topology, root: root, logger: logger).up()
        figures.up = start.secondsSince
        let targets = try NodeTargets.resolve(topology, bringUp: false, root: root, logger: logger).targets
        start = ContinuousClock.now
        let (fleet, failures) = await Fleet.connect(targets, timeout: .seconds(60), logger: logger)
        figures.connect = start.secondsSince
        if let failure = failures.first {
            await fleet.close()
            throw failure
        }
        let command = NodeRequest.run(.init(script: "ip -br address show dev eth1 >/dev/null", timeout: .seconds(20)))
        let trivial = NodeRequest.run(.init(script: "true", timeout: .seconds(20)))
        let hundred = Array(fleet.connections.values.prefix(100))
        if hundred.count == 100 { figures.fanOutTrivialHundred = Samples() }
        for _ in 0..<repeats {
            figures.fanOut.add(try await fanOut(command, to: Array(fleet.connections.values)))
            figures.fanOutTrivial.add(try await fanOut(trivial, to: Array(fleet.connections.values)))
            if figures.fanOutTrivialHundred != nil {
                figures.fanOutTrivialHundred?.add(try await fanOut(trivial, to: hundred))
            }
        }
        figures.residentWithSessions = ResourceUsage.residentMegabytes
        await fleet.close()
        start = ContinuousClock.now
        try LabTeardown(paths: paths, logger: logger).down()
        figures.down = start.secondsSince
        figures.leftovers = summary.leftoverProcesses + max(0, namedNamespaces() - namedBefore)
        return figures
    }

    /// Sends `request` to every node at once and waits for the last answer; returns the seconds taken.
    private static func fanOut(_ request: NodeRequest, to connections: [NodeConnection]) async throws -> Double {
        let round = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in connections {
                group.addTask { _ = try await connection.send([request], timeout: .seconds(30)) }
            }
            try await group.waitForAll()
        }
        return round.secondsSince
    }

    /// Named network namespaces (`ip netns list`): the lab makes none, so any added during the bench is left over.
    private static func namedNamespaces() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns").count) ?? 0
    }
}
