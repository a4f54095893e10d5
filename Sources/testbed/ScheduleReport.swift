import PlanModel

/// `--dry-run`: the schedule, stage by stage.
enum ScheduleReport {
    static func text(_ schedule: Schedule, plan: Plan) -> String {
        var text =
            "schedule: \(schedule.mode.rawValue) order, \(schedule.stages.count) stages, \(schedule.units.count) units\n"
        for (index, stage) in schedule.stages.enumerated() {
            let kind = stage.isBarrier ? " (barrier)" : ""
            text += "stage \(index + 1)\(kind):\n"
            if let pause = stage.pause {
                text += "  \(plan.steps[pause.stepIndex].id): wait \(pause.milliseconds) ms\n"
            }
            for unit in stage.units {
                let step = plan.steps[unit.stepIndex]
                var line =
                    "  \(step.id.padding(toLength: 14, withPad: " ", startingAt: 0)) \(unit.node.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))"
                switch step.action {
                case .blocks(let blocks):
                    let block = blocks[unit.blockIndex ?? 0]
                    line +=
                        " \(block.commands.count) commands\(block.netns.map { " in \($0)" } ?? "")  \(block.location.fileAndLine)"
                case .reach(let check):
                    line +=
                        " reach \(check.expectation.rawValue): \(check.targets.map(\.description).joined(separator: " "))"
                case .expect:
                    line += " expect"
                case .service(let service):
                    line += " service \(service.name)"
                case .conform(let check):
                    line += " conformance to \(check.source)"
                case .fault(let fault):
                    line += " fault: \(fault.summary)"
                case .wait:
                    break
                }
                text += line + "\n"
            }
        }
        return text
    }
}
