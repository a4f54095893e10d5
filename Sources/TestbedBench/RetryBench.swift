public import Logging
public import Orchestrator
public import PlanModel

/// What one attempt of a retried check costs: each kind of check is made to pass many times in a row
/// (`consecutive`, no pause between attempts), so the time until it held divided by the attempts is the
/// price of one attempt; the same check tried once, without a policy, is the baseline.
public enum RetryBench {
    public struct Row: Sendable {
        public var name: String
        public var attempts: Int
        /// Seconds from the first attempt until the check held.
        public var seconds: Double
        /// The pause the policy asks for between attempts.
        public var intervalMilliseconds: Int
        /// The same check, tried once: its wall time as the orchestrator saw it.
        public var onceSeconds: Double?

        public var perAttempt: Double { seconds / Double(max(attempts, 1)) }
        /// What an attempt costs beyond its pause.
        public var overheadPerAttempt: Double {
            (seconds - Double(max(attempts - 1, 0)) * Double(intervalMilliseconds) / 1000) / Double(max(attempts, 1))
        }
    }

    /// The checks measured: step id, what it is, its YAML body (`RETRY` is replaced by the policy or nothing).
    static let checks: [(id: String, name: String, once: String, body: String)] = [
        ("expect", "expect (`true`, status 0)", "beta", "expect: {node: NODE, run: \"true\"RETRY}"),
        (
            "json", "expect, JSON subset (`ip -j link show lo`)", "beta",
            "expect: {node: NODE, run: ip -j link show lo, stdout_json: [{ifname: lo}]RETRY}"
        ),
        ("reach", "reach (one ping beta → gamma)", "beta", "reach: {from: NODE, to: [10.99.1.2]RETRY}"),
        // Each node's conformance starts where its previous check left it: the check tried once is gamma's.
        (
            "conform", "conform (state capture + model)", "gamma",
            "conform: {node: NODE, documented: [{run: \"ip address add ADDRESS dev eth1\"}]RETRY}"
        ),
    ]

    /// The plan: an address on beta and gamma each (to ping, and for the conformance checks to find), then
    /// each check tried once and retried.
    static func yaml(consecutive: Int, intervalMilliseconds: Int) -> String {
        let addresses = ["beta": "10.99.1.1/24", "gamma": "10.99.1.2/24"]
        var text = "title: retry overhead\nsteps:\n"
        for (node, address) in addresses.sorted(by: { $0.key < $1.key }) {
            text += "  - {node: \(node), run: ip address add \(address) dev eth1}\n"
        }
        let policy =
            ", retry: {timeout_ms: 120000, interval_ms: \(intervalMilliseconds), consecutive: \(consecutive)}"
        for check in checks {
            func on(_ node: String) -> String {
                check.body.replacingOccurrences(of: "NODE", with: node)
                    .replacingOccurrences(of: "ADDRESS", with: addresses[node] ?? "")
            }
            let once = on(check.once)
            let retried = on("beta")
            text += "  - id: \(check.id)-once\n    \(once.replacingOccurrences(of: "RETRY", with: ""))\n"
            text += "  - id: \(check.id)-retried\n    \(retried.replacingOccurrences(of: "RETRY", with: policy))\n"
        }
        return text
    }

    /// Runs the plan on a fresh lab of `topology` (which must have a node `beta` with `eth1`).
    public static func measure(
        topology: Topology, consecutive: Int, intervalMilliseconds: Int, directory: String, root: String,
        logger: Logger
    ) async throws -> [Row] {
        let path = directory + "/retry-bench.yaml"
        try yaml(consecutive: consecutive, intervalMilliseconds: intervalMilliseconds)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try PlanLoader.load(path: path, topology: topology)
        let report = try await PlanBench.runFresh(
            plan: plan, topology: topology, choice: .document, root: root, logger: logger)
        let byStep = Dictionary(report.results.map { ($0.stepID, $0) }, uniquingKeysWith: { first, _ in first })
        return checks.compactMap { check in
            guard let retried = byStep["\(check.id)-retried"], retried.status == .passed,
                let seconds = retried.convergedAfter
            else { return nil }
            let once = byStep["\(check.id)-once"].flatMap { $0.status == .passed ? $0.seconds : nil }
            return Row(
                name: check.name, attempts: retried.attempts, seconds: seconds,
                intervalMilliseconds: intervalMilliseconds, onceSeconds: once)
        }
    }
}
