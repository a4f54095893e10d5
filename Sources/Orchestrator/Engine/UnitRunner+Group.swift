import NodeAgentProtocol
import PlanModel

/// A node's consecutive reach checks of one stage in one ping request (see `ReachGrouping`).
extension UnitRunner {
    /// Pings the addresses of every check of `units` at once, then judges each check on its own addresses, in
    /// order, up to the first that fails: the results of the checks after it are not returned (on their own
    /// they would not have been sent), so the engine skips them.
    func executeGroup(_ units: [Schedule.Unit], on channel: any NodeChannel) async -> [UnitResult] {
        let checks = units.compactMap { unit -> (Schedule.Unit, Step, ReachCheck)? in
            let step = plan.steps[unit.stepIndex]
            guard case .reach(let check) = step.action else { return nil }
            return (unit, step, check)
        }
        guard checks.count == units.count, let (firstUnit, firstStep, first) = checks.first else {
            // Not a group of reach checks (the machine only groups those): one at a time.
            var results: [UnitResult] = []
            for unit in units {
                let result = await execute(unit, on: channel)
                results.append(result)
                if result.status == .failed { break }
            }
            return results
        }
        let start = ContinuousClock.now
        if let crashed = await watchServices(on: channel, unit: firstUnit, step: firstStep) { return [crashed] }
        for (unit, step, _) in checks { FaultInjection.checkpoint("unit-sent:\(step.id):\(unit.node)") }
        var addresses: [String] = []
        var seen: Set<String> = []
        for address in checks.flatMap({ $0.2.targets.map(\.description) }) where seen.insert(address).inserted {
            addresses.append(address)
        }
        let request = NodeRequest.PingRequest(
            addresses: addresses, netns: first.netns, count: first.count,
            timeout: .milliseconds(first.timeoutMilliseconds))
        let ping: NodeResponse.PingResult
        do {
            ping = try await channel.ping(request, timeout: options.blockTimeout + Self.transportSlack)
        } catch {
            var failed = failure(error, kind: .reach, unit: firstUnit, step: firstStep, channel: channel)
            failed.seconds = start.secondsSince
            return [failed]
        }
        var timing = UnitTiming()
        timing.roundTrip = start.secondsSince
        timing.groupedChecks = checks.count
        let answers = Dictionary(ping.targets.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var results: [UnitResult] = []
        for (index, (unit, step, check)) in checks.enumerated() {
            FaultInjection.checkpoint("unit-returned:\(step.id):\(unit.node)")
            // In the check's own order, as a request of its own would have answered.
            let own = NodeResponse.PingResult(targets: check.targets.compactMap { answers[$0.description] })
            var result = ReachJudgement.judge(check, unit: unit, stepID: step.id, ping: own)
            // The request's time and round trip are the first check's; the others shared them.
            if index == 0 {
                result.timing = timing
                result.seconds = start.secondsSince
            }
            if result.status == .failed { result.explanation = await explain(check, result: result) }
            if let note = resumeNotes[unit] { result.resume = note }
            results.append(result)
            if result.status == .failed { break }
        }
        return results
    }
}
