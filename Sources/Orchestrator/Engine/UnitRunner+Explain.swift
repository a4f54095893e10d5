import NodeAgentProtocol
import PlanModel

/// Explaining a failed reach check: the state model traces each wrong address there and back, and every
/// hop's node is asked the same question of its own kernel.
extension UnitRunner {
    /// The explanation of each address that did not behave as the check expects, or nil without a state model.
    func explain(_ check: ReachCheck, result: UnitResult) async -> String? {
        guard let tracker else { return nil }
        let wrong = result.pings.filter { $0.reachable != (check.expectation == .reachable) }
            .compactMap { IPAddress($0.address) }
        guard !wrong.isEmpty else { return nil }
        let tracer = PathTracer(states: tracker.allStates, provenance: tracker.provenance.provenance)
        var lines: [String] = []
        for destination in wrong.prefix(4) {
            let there = tracer.trace(from: check.node, netns: check.netns, to: destination)
            let thereLeg = await leg(there, to: destination)
            var backLeg: ReachExplanation.Leg?
            if there.delivered, let node = there.destinationNode, let source = there.finalSource {
                let back = tracer.trace(from: node, to: source, source: destination)
                backLeg = await leg(back, to: source)
            }
            lines += ReachExplanation.lines(there: thereLeg, back: backLeg)
        }
        return lines.joined(separator: "\n")
    }

    /// Asks each hop's kernel, one hop after another (a hop that cannot be asked is left out, not guessed).
    private func leg(_ trace: PathTracer.Trace, to destination: IPAddress) async -> ReachExplanation.Leg {
        var answers: [KernelRouteQuery.Answer?] = []
        for hop in trace.hops {
            guard let channel = channels[hop.node] else {
                answers.append(nil)
                continue
            }
            let request = NodeRequest.RunRequest(
                script: KernelRouteQuery.script(for: hop, destination: destination), netns: hop.netns,
                timeout: .seconds(10), stopAtFirstFailure: false)
            let run = try? await channel.run(request, timeout: .seconds(10) + Self.transportSlack)
            answers.append(run.map { KernelRouteQuery.parse($0.stdoutText) })
        }
        return ReachExplanation.Leg(destination: destination, trace: trace, answers: answers)
    }
}
