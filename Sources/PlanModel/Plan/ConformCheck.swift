/// Checks that a node's real kernel state is the state the documentation predicts: the documented blocks of
/// an event (from a page, a plan or a compiled scenario) run through the state model from where the previous
/// conformance check of the node left it, and the result is compared with the node — retried until equal or
/// timed out. Names a real program picks itself (its namespaces, the link-locals and MACs of new identities)
/// are bound to the documented ones, given in `bindings` or at first sight.
public struct ConformCheck: Sendable, Hashable, Codable {
    /// What a difference does to the run.
    public enum OnDifference: String, Sendable, Hashable, Codable {
        /// The check fails (a program that must match the documentation).
        case fail
        /// The differences are findings: reported with the verdict, the run goes on.
        case report
    }

    public var node: NodeName
    /// The documented blocks of this node for the event, in order.
    public var documented: [NodeBlock]
    /// Where they come from, for reports: `demo.yaml steps start-beta, arc`.
    public var source: String
    /// Documented name or value → the real one (`entr02: ntkv0`).
    public var bindings: [String: String]
    public var onDifference: OnDifference
    public var retry: RetryPolicy?
    public var label: String?
    /// Also compare the commands this service of the node logged (its stdout lines starting with `$ `) since
    /// the node's previous such check with the documented commands: their order, and what either side lacks.
    public var commandsOf: ServiceName?
    /// After comparing, take the node as it is (its observed state, with bound names put back to the documented
    /// ones) as the base of its next conformance check: for an event whose documentation starts from a state
    /// the plan did not document (a page's event in the middle of a scenario).
    public var rebases = false

    public init(
        node: NodeName, documented: [NodeBlock], source: String, bindings: [String: String] = [:],
        onDifference: OnDifference = .fail, retry: RetryPolicy? = nil, label: String? = nil
    ) {
        self.node = node
        self.documented = documented
        self.source = source
        self.bindings = bindings
        self.onDifference = onDifference
        self.retry = retry
        self.label = label
    }
}
