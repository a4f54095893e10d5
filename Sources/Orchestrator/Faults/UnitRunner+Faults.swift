import PlanModel

extension UnitRunner {
    /// A fault step: made to happen (recorded first), reported with what was done.
    func fault(_ fault: FaultStep, unit: Schedule.Unit, step: Step) async -> UnitResult {
        guard let faults else {
            return UnitResult(
                unit: unit, stepID: step.id, kind: .fault, status: .failed,
                message: "\(fault.summary): this run cannot inject faults")
        }
        do {
            let done = try await faults.apply(fault)
            var result = UnitResult(
                unit: unit, stepID: step.id, kind: .fault, status: .passed, message: fault.summary,
                stdout: Array(done.joined(separator: "\n").utf8))
            result.remoteSeconds = nil
            return result
        } catch {
            return UnitResult(
                unit: unit, stepID: step.id, kind: .fault, status: .failed, message: "\(fault.summary): \(error)")
        }
    }
}
