import Orchestrator
import PlanModel
import Synchronization

/// The units started and not finished yet, for saying which nodes may be mid-block when a second Ctrl-C
/// aborts the run at once.
final class InFlightUnits: RunObserver, Sendable {
    private let units = Mutex<(plan: Plan?, running: [Schedule.Unit])>((nil, []))

    func handle(_ event: RunEvent) {
        units.withLock { state in
            switch event {
            case .started(let plan, _, _): state.plan = plan
            case .unitStarted(let unit): state.running.append(unit)
            case .unitFinished(let result): state.running.removeAll { $0 == result.unit }
            default: break
            }
        }
    }

    /// `node 'beta' (step 3 mid)`, one per unit in flight.
    var description: [String] {
        units.withLock { state in
            state.running.map { unit in
                let id = state.plan.map { $0.steps[unit.stepIndex].id } ?? ""
                return "node '\(unit.node)' (step \(unit.stepIndex + 1) \(id))"
            }
        }
    }
}
