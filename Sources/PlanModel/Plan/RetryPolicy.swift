/// How a check waits for a condition instead of a fixed sleep: it is tried again every `interval` until it
/// has passed `consecutivePasses` times in a row, or `timeout` has passed since the first try.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Give up this long after the first attempt started.
    public var timeoutMilliseconds: Int
    /// Wait this long between the end of one attempt and the start of the next.
    public var intervalMilliseconds: Int
    /// Passes needed in a row (more than one rules out a state that flaps).
    public var consecutivePasses: Int

    public init(timeoutMilliseconds: Int, intervalMilliseconds: Int = 200, consecutivePasses: Int = 1) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.intervalMilliseconds = intervalMilliseconds
        self.consecutivePasses = consecutivePasses
    }

    public var timeout: Duration { .milliseconds(timeoutMilliseconds) }
    public var interval: Duration { .milliseconds(intervalMilliseconds) }
}
