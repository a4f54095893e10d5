/// Where a decoder sends a large output section of a `run` answer as its bytes arrive, keeping only its tail in
/// memory: a block that prints 100 MiB costs the orchestrator a read buffer and the tail, not 100 MiB.
public struct OutputSpill: Sendable {
    /// Sections (stdout, stderr) longer than this are spilled.
    public var threshold: Int
    /// Bytes of the end of a spilled section kept in the decoded answer.
    public var tailLimit: Int
    /// Receives every byte of a spilled section, in order; `section` is 0 for stdout, 1 for stderr.
    public var write: @Sendable (_ section: Int, _ bytes: ArraySlice<UInt8>) -> Void

    public init(
        threshold: Int, tailLimit: Int, write: @escaping @Sendable (_ section: Int, _ bytes: ArraySlice<UInt8>) -> Void
    ) {
        self.threshold = threshold
        self.tailLimit = tailLimit
        self.write = write
    }
}

extension NodeRequest {
    /// Files on the orchestrator's side that take a block's whole stdout and stderr when they are longer than
    /// `threshold` (not sent to the agent; the answer then carries the last `tailLimit` bytes of each).
    public struct OutputFiles: Sendable, Hashable, Codable {
        public var stdout: String
        public var stderr: String
        public var threshold: Int
        public var tailLimit: Int

        public init(stdout: String, stderr: String, threshold: Int = 4096, tailLimit: Int = 65_536) {
            self.stdout = stdout
            self.stderr = stderr
            self.threshold = threshold
            self.tailLimit = tailLimit
        }
    }
}
