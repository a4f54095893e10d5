extension NodeResponse {
    /// How a block ran: its status, where it first failed, its output kept byte for byte, and the state
    /// dumps taken after it.
    public struct RunResult: Sendable, Hashable, Codable {
        /// The block's exit status as bash reports it (128 + signal when killed, e.g. 143 after a timeout).
        /// With `stopAtFirstFailure` off this is the status of the block's last command.
        public var exitStatus: Int32
        /// The 1-based line, within the script, of the first command that failed (as `set -e` counts
        /// failures); nil when none failed or the line is unknown (`exit 3`, a syntax error, a block that
        /// replaced the agent's traps).
        public var failedLine: Int?
        /// The exit status of the command on `failedLine`.
        public var failedStatus: Int32?
        /// Standard output, byte for byte.
        public var stdout: [UInt8]
        /// Standard error, byte for byte, kept apart from `stdout`.
        public var stderr: [UInt8]
        /// How long the block ran, measured on the node (`$EPOCHREALTIME`, microseconds).
        public var duration: Duration
        /// Whether the block was killed because its `timeout` passed.
        public var timedOut: Bool
        /// One output per requested state query, in request order.
        public var stateOutputs: [StateOutput]
        /// When stdout was spilled to a file (`RunRequest.outputFiles`): its whole length; `stdout` is its tail.
        public var stdoutByteCount: Int?
        /// The same for stderr.
        public var stderrByteCount: Int?

        public init(
            exitStatus: Int32, failedLine: Int? = nil, failedStatus: Int32? = nil, stdout: [UInt8] = [],
            stderr: [UInt8] = [], duration: Duration = .zero, timedOut: Bool = false, stateOutputs: [StateOutput] = []
        ) {
            self.exitStatus = exitStatus
            self.failedLine = failedLine
            self.failedStatus = failedStatus
            self.stdout = stdout
            self.stderr = stderr
            self.duration = duration
            self.timedOut = timedOut
            self.stateOutputs = stateOutputs
        }

        /// Whether the block exited 0 in time.
        public var isSuccess: Bool { exitStatus == 0 && !timedOut }

        /// `stdout` decoded as UTF-8, with invalid bytes replaced.
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

        /// `stderr` decoded as UTF-8, with invalid bytes replaced.
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// What one state query printed.
    public struct StateOutput: Sendable, Hashable, Codable {
        public var query: NodeRequest.StateQuery
        /// The query command's exit status; non-zero means `bytes` is not to be trusted.
        public var exitStatus: Int32
        /// The query's standard output (JSON for the `ip -j` kinds).
        public var bytes: [UInt8]
        /// The query's standard error, usually empty.
        public var stderr: [UInt8]

        public init(query: NodeRequest.StateQuery, exitStatus: Int32, bytes: [UInt8], stderr: [UInt8] = []) {
            self.query = query
            self.exitStatus = exitStatus
            self.bytes = bytes
            self.stderr = stderr
        }

        /// `bytes` decoded as UTF-8, with invalid bytes replaced.
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }
}
