/// Ping addresses from a node and expect them all to answer — or, with `.unreachable`, none to.
public struct ReachCheck: Sendable, Hashable, Codable {
    public enum Expectation: String, Sendable, Hashable, Codable {
        case reachable, unreachable
    }

    public var node: NodeName
    public var netns: NamespaceName?
    public var targets: [IPAddress]
    public var expectation: Expectation
    /// Echo requests per address.
    public var count: Int
    /// How long to wait for each reply, in milliseconds (ping's -W).
    public var timeoutMilliseconds: Int
    /// The lines a script or page wrote for this check, to render it back unchanged.
    public var originalLines: [ScriptLine]
    public var label: String?
    /// Retried until it holds (a route a daemon installs, say); nil: tried once.
    public var retry: RetryPolicy?

    public init(
        node: NodeName, netns: NamespaceName? = nil, targets: [IPAddress], expectation: Expectation = .reachable,
        count: Int = 1,
        timeoutMilliseconds: Int = 1000, originalLines: [ScriptLine] = [], label: String? = nil
    ) {
        self.node = node
        self.netns = netns
        self.targets = targets
        self.expectation = expectation
        self.count = count
        self.timeoutMilliseconds = timeoutMilliseconds
        self.originalLines = originalLines
        self.label = label
    }
}

/// Run a command on a node and check what it returns.
public struct ExpectCheck: Sendable, Hashable, Codable {
    public var block: NodeBlock
    /// The exit status the command must end with.
    public var status: Int32
    /// Substrings that must all appear in stdout.
    public var stdoutContains: [String]
    /// Substrings that must not appear in stdout.
    public var stdoutExcludes: [String]
    /// A regular expression stdout must match somewhere.
    public var stdoutMatches: String?
    /// JSON that stdout must contain (`JSONSubset`: every expected member present and equal, `null` absent).
    public var stdoutJSON: String?
    /// Retried until it holds; nil: tried once.
    public var retry: RetryPolicy?

    public init(
        block: NodeBlock, status: Int32 = 0, stdoutContains: [String] = [], stdoutExcludes: [String] = [],
        stdoutMatches: String? = nil
    ) {
        self.block = block
        self.status = status
        self.stdoutContains = stdoutContains
        self.stdoutExcludes = stdoutExcludes
        self.stdoutMatches = stdoutMatches
    }

    public var node: NodeName { block.node }
}
