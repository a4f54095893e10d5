/// Carries a command's outcome (ip's failure, or not modelled) out of a reader through `throws`.
struct CommandOutcomeBox: Error {
    let outcome: CommandOutcome
    init(_ outcome: CommandOutcome) { self.outcome = outcome }
}
