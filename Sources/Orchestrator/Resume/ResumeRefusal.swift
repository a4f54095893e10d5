public import PlanModel

/// Why a run cannot be resumed: no earlier run, a plan that changed, or a node whose state matches no state
/// the plan predicts at the point where it stopped.
public struct ResumeRefusal: DiagnosticConvertible, Sendable, Hashable {
    public enum Code: String, Sendable, Hashable {
        /// No run of this plan on this lab/cluster to resume.
        case noRun = "no-run"
        /// The newest run of the lab/cluster stopped before it recorded its start (nothing of it ran).
        case notStarted = "not-started"
        /// The run named is unreadable, or lacks what a resume needs (its plan, schedule, initial states).
        case unusableJournal = "unusable-journal"
        /// The plan read now is not the plan the run had.
        case planChanged = "plan-changed"
        /// The run had finished: nothing to resume.
        case finished
        /// A node's observed state matches no prediction.
        case stateMismatch = "state-mismatch"
        /// The run had started services, which a resumed run cannot take over yet.
        case services
    }

    public var code: Code
    public var message: String
    public var details: [String]
    public var hint: String

    public init(_ code: Code, _ message: String, details: [String] = [], hint: String) {
        self.code = code
        self.message = message
        self.details = details
        self.hint = hint
    }

    public var diagnostics: [Diagnostic] {
        [
            Diagnostic(
                code: "resume.\(code.rawValue)", category: .refused, message: message, details: details, hint: hint)
        ]
    }
}
