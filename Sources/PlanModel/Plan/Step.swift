/// One step of a plan: command blocks for one or more nodes, or a check.
public struct Step: Sendable, Hashable, Codable {
    /// What the step does.
    public enum Action: Sendable, Hashable, Codable {
        /// Command blocks, run in this order in document order (each node's blocks always keep their order).
        case blocks([NodeBlock])
        /// Ping addresses from a node and expect them to answer (or not).
        case reach(ReachCheck)
        /// Run a command and compare its status and output with expectations.
        case expect(ExpectCheck)
        /// Compare a node's kernel state with what documented blocks predict.
        case conform(ConformCheck)
        /// Start, signal, feed or stop a long-running program on a node.
        case service(ServiceStep)
        /// A plain pause (conditions — checks with a retry policy — are almost always better).
        case wait(milliseconds: Int)
        /// A fault injected on purpose (always a barrier).
        case fault(FaultStep)
    }

    /// Unique within the plan; used by `--from`/`--to` and in reports.
    public var id: String
    public var title: String
    /// The operation the step performs, when known (arc, migrate, etp, …).
    public var operation: OperationKind?
    /// Nothing after this step starts before it and everything before it has finished, on any node.
    public var isBarrier: Bool
    public var action: Action
    /// The heading that introduced the step in a page (kept to render the page back).
    public var heading: Heading?
    public var notes: [Note]
    public var location: InputLocation

    /// - Parameters:
    ///   - waitSeconds: Makes the step a wait (a script's `sleep N` on the controller), whatever `action` says.
    public init(
        id: String, title: String, operation: OperationKind? = nil, isBarrier: Bool = false, action: Action,
        heading: Heading? = nil, notes: [Note] = [], location: InputLocation, waitSeconds: Double? = nil
    ) {
        self.id = id
        self.title = title
        self.operation = operation
        self.isBarrier = isBarrier
        self.action = waitSeconds.map { .wait(milliseconds: Int(($0 * 1000).rounded())) } ?? action
        self.heading = heading
        self.notes = notes
        self.location = location
    }

    /// For a wait step, how long it pauses, in seconds.
    public var waitSeconds: Double? {
        if case .wait(let milliseconds) = action { Double(milliseconds) / 1000 } else { nil }
    }

    /// Checks always wait for everything before them and hold back everything after them.
    public var isCheck: Bool {
        switch action {
        case .reach, .expect, .conform: true
        case .blocks, .service, .wait, .fault: false
        }
    }

    /// Blocks started at the same instant on their nodes, and waited for together (a session's `&`): the
    /// schedule keeps them in one stage, in document order too.
    public var startsTogether = false

    /// True for checks, waits and steps marked as barriers.
    public var actsAsBarrier: Bool {
        if case .wait = action { return true }
        if case .fault = action { return true }
        return isBarrier || isCheck
    }

    public var isReach: Bool {
        if case .reach = action { true } else { false }
    }

    public var blocks: [NodeBlock] {
        if case .blocks(let blocks) = action { blocks } else { [] }
    }

    /// Nodes this step runs on, in order.
    public var nodes: [NodeName] {
        switch action {
        case .blocks(let blocks):
            var seen: [NodeName] = []
            for block in blocks where !seen.contains(block.node) { seen.append(block.node) }
            return seen
        case .reach(let check): return [check.node]
        case .expect(let check): return [check.node]
        case .conform(let check): return [check.node]
        case .service(let service): return [service.node]
        case .wait: return []
        case .fault(let fault): return [fault.node]
        }
    }
}

/// A Markdown heading as a page wrote it.
public struct Heading: Sendable, Hashable, Codable {
    /// 1 for `#`, 4 for `####`.
    public var level: Int
    public var text: String
    /// The `<a name="…"></a>` anchor before the text, if any.
    public var anchor: String?
    public var location: InputLocation?

    public init(level: Int, text: String, anchor: String? = nil, location: InputLocation? = nil) {
        self.level = level
        self.text = text
        self.anchor = anchor
        self.location = location
    }
}

/// The kind of operation a step performs, in the vocabulary of the documentation.
public struct OperationKind: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let start = OperationKind(rawValue: "start")
    public static let arc = OperationKind(rawValue: "arc")
    public static let arcRemoval = OperationKind(rawValue: "arc-removal")
    public static let forwardingTable = OperationKind(rawValue: "forwarding-table")
    public static let identity = OperationKind(rawValue: "identity")
    public static let moveRoutes = OperationKind(rawValue: "move-routes")
    public static let gatewayUpdate = OperationKind(rawValue: "gateway-update")
    public static let routes = OperationKind(rawValue: "routes")
    public static let etp = OperationKind(rawValue: "etp")
    public static let addressChange = OperationKind(rawValue: "address-change")
    public static let dismissal = OperationKind(rawValue: "dismissal")
    public static let migrate = OperationKind(rawValue: "migrate")
    public static let enterNetPhase1 = OperationKind(rawValue: "enter-net-phase-1")
    public static let enterNetPhase2 = OperationKind(rawValue: "enter-net-phase-2")
    public static let check = OperationKind(rawValue: "check")

    /// The kinds testbed knows; others are accepted and shown as written.
    public static let known: [OperationKind] = [
        .start, .arc, .arcRemoval, .forwardingTable, .identity, .moveRoutes, .gatewayUpdate, .routes, .etp,
        .addressChange, .dismissal, .migrate, .enterNetPhase1, .enterNetPhase2, .check,
    ]
}
