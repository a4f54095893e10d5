public import Logging
import NodeAgentProtocol
import Orchestrator
public import PlanModel

/// Round trips through the agent, compared with one SSH exec channel per block, on a running lab.
public enum AgentBench {
    public struct Timing: Sendable {
        /// Connecting to every node of the lab in parallel (SSH handshake, auth, agent start, hello).
        public var connectAll = Samples()
        /// A trivial block (`true`) through the long-lived agent channel, over SSH.
        public var agentRoundTrip = Samples()
        /// The same block through the agent entered with nsenter, no SSH.
        public var localRoundTrip = Samples()
        /// The same block on a new SSH exec channel each time (how per-command tools run it).
        public var execChannel = Samples()
        public var nodes = 0
    }

    /// Measures on the lab of `topology` in `root` (brought up if needed).
    /// - Throws: `LabError` or `NodeError`.
    public static func measure(
        topology: Topology, root: String, iterations: Int, execIterations: Int, logger: Logger
    ) async throws -> Timing {
        var timing = Timing()
        let targets = try NodeTargets.resolve(topology, labTransport: .ssh, root: root, logger: logger).targets
        timing.nodes = targets.count
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let (fleet, failures) = await Fleet.connect(targets, logger: logger)
            timing.connectAll.add(start.secondsSince)
            await fleet.close()
            if let failure = failures.first { throw failure }
        }
        guard let (name, target) = targets.first else { return timing }
        let request = NodeRequest.run(.init(script: "true", timeout: .seconds(10)))

        let ssh = NodeConnection(name: name, target: target, logger: logger)
        try await ssh.connect()
        timing.agentRoundTrip = try await sample(iterations) {
            _ = try await ssh.send([request], timeout: .seconds(20))
        }
        timing.execChannel = try await sample(execIterations) {
            _ = try await ssh.executeOnNewChannel("true", timeout: .seconds(20))
        }
        await ssh.close()

        let localTargets = try NodeTargets.resolve(topology, labTransport: .local, root: root, logger: logger).targets
        guard let (_, localTarget) = localTargets.first(where: { $0.0 == name }) else { return timing }
        let local = NodeConnection(name: name, target: localTarget, logger: logger)
        try await local.connect()
        timing.localRoundTrip = try await sample(iterations) {
            _ = try await local.send([request], timeout: .seconds(20))
        }
        await local.close()
        return timing
    }

    /// Times `count` runs of `body`.
    private static func sample(_ count: Int, _ body: () async throws -> Void) async throws -> Samples {
        var samples = Samples()
        for _ in 0..<count {
            let start = ContinuousClock.now
            try await body()
            samples.add(start.secondsSince)
        }
        return samples
    }
}
