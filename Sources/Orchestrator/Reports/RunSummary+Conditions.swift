import Foundation
import PlanModel

extension RunSummary {
    /// Retried checks that held: how long each condition took, in how many attempts, out of how long it was
    /// allowed — the time a fixed sleep would have had to guess.
    func conditions() -> String {
        let held = report.results.filter { $0.status == .passed && $0.convergedAfter != nil }
        guard !held.isEmpty else { return "" }
        var text = "conditions (retried checks that held):\n"
        for result in held {
            let seconds = result.convergedAfter ?? 0
            let attempts = result.attempts
            let step = plan?.steps[result.unit.stepIndex]
            let allowed = step.flatMap(Self.retry(of:)).map {
                " of \(Self.format(Double($0.timeoutMilliseconds) / 1000)) allowed"
            }
            text +=
                "  \(Self.format(seconds).padding(toLength: 9, withPad: " ", startingAt: 0)) "
                + "\(result.stepID) (\(result.unit.node)), \(attempts) attempt\(attempts == 1 ? "" : "s")\(allowed ?? "")\n"
        }
        return text
    }

    static func retry(of step: Step) -> RetryPolicy? {
        switch step.action {
        case .reach(let check): check.retry
        case .expect(let check): check.retry
        case .conform(let check): check.retry
        case .service(let service):
            if case .start(_, _, let ready?) = service.action { ready.retry } else { nil }
        case .blocks, .wait, .fault: nil
        }
    }
}
