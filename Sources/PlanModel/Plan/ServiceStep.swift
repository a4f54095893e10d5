/// A long-running program on a node (a routing daemon, the program under test): started by one step, sent
/// input or signals by others, stopped by another or at the end of the run. It outlives the block that
/// started it, in a session of its own, with its output in log files on the node.
public struct ServiceStep: Sendable, Hashable, Codable {
    public enum Action: Sendable, Hashable, Codable {
        /// Starts `command` (a bash script) with `environment`; `ready`, when given, is retried until it holds.
        case start(command: String, environment: [String: String], ready: ExpectCheck?)
        /// Sends `signal` (`TERM` by default), waits up to `graceMilliseconds`, then kills what is left.
        case stop(signal: ServiceSignal, graceMilliseconds: Int)
        /// Sends a signal and goes on.
        case signal(ServiceSignal)
        /// Writes text to the program's standard input.
        case input(String)
    }

    public var node: NodeName
    public var netns: NamespaceName?
    public var name: ServiceName
    public var action: Action
    /// How the source named the node, to render it back.
    public var label: String?

    public init(
        node: NodeName, name: ServiceName, action: Action, netns: NamespaceName? = nil, label: String? = nil
    ) {
        self.node = node
        self.name = name
        self.action = action
        self.netns = netns
        self.label = label
    }
}

/// The signals a plan may send a service (by name, as `kill -s` takes them).
public enum ServiceSignal: String, Sendable, Hashable, Codable, CaseIterable {
    case term = "TERM", int = "INT", hup = "HUP", kill = "KILL", quit = "QUIT", usr1 = "USR1", usr2 = "USR2"
    case stop = "STOP", cont = "CONT"
}
