import NodeAgentProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// An `AgentStream` over the stdin and stdout pipes of a local process: the agent run by a local bash, or
/// entered into a lab node with `nsenter` when no SSH is wanted.
///
/// The pipes are non-blocking and every wait is a `poll` with the caller's deadline (in slices of at most
/// 200 ms, so a cancelled task notices). The child's stderr is drained while waiting (so it can never fill
/// up and stall the child) and its tail is kept for `diagnostics`. Confined to one thread at a time.
public final class PipeAgentStream: AgentStream, AgentStreamDiagnostics {
    /// How long `close()` waits for the agent to exit after its stdin closed, before SIGTERM.
    public static let closeGrace: Duration = .seconds(1)

    public let process: ChildProcess
    private var stdinFD: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    private var stderrTail: [UInt8] = []
    private var sawEndOfFile = false
    private var isClosed = false

    /// The process id of the child (the agent itself once the launch command has `exec`ed bash).
    public var pid: Int32 { process.pid }

    /// Spawns `executable` with `arguments`, its stdin, stdout and stderr on pipes, in a new session (so a
    /// terminal's Ctrl-C reaches the orchestrator, which then closes the stream).
    /// - Throws: `SystemError` when the pipes cannot be made or the program cannot be started.
    public static func launch(
        executable: String, arguments: [String], environment: [String]? = nil
    ) throws(SystemError) -> PipeAgentStream {
        let options = ChildProcess.Options(
            environment: environment, stdin: .pipe, stdout: .pipe, stderr: .pipe, newSession: true)
        return try PipeAgentStream(
            process: ChildProcess(executable: executable, arguments: arguments, options: options))
    }

    /// Starts the agent under the local `/bin/bash`, as `bash -c AgentScript.launchCommand`.
    /// - Throws: `SystemError` when bash cannot be started.
    public static func launchLocalAgent(environment: [String]? = nil) throws(SystemError) -> PipeAgentStream {
        try launch(executable: "/bin/bash", arguments: ["-c", AgentScript.launchCommand], environment: environment)
    }

    private init(process: ChildProcess) throws(SystemError) {
        self.process = process
        let pipes = process.takePipes()
        stdinFD = pipes.stdin ?? -1
        stdoutFD = pipes.stdout ?? -1
        stderrFD = pipes.stderr ?? -1
        do {
            for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { try SystemCall.setNonBlocking(fd) }
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    public func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(AgentStreamError) {
        guard !isClosed, stdinFD >= 0 else { throw AgentStreamError(.closed, "the stream to agent \(pid) is closed") }
        var offset = 0
        while offset < bytes.count {
            switch PipeWrite.writeSome(stdinFD, bytes, from: offset) {
            case .success(let count):
                offset += count
            case .failure(let error) where error.errno == EAGAIN || error.errno == EINTR:
                try wait(for: stdinFD, events: Int16(POLLOUT), until: deadline, doing: "writing to")
            case .failure(let error) where error.errno == EPIPE:
                throw AgentStreamError(.closed, "agent process \(pid) no longer reads its stdin" + exitNote())
            case .failure(let error):
                throw AgentStreamError(.failed, "writing to agent process \(pid): \(error)")
            }
        }
    }

    public func read(maximum: Int, until deadline: ContinuousClock.Instant) throws(AgentStreamError) -> [UInt8] {
        guard !isClosed else { throw AgentStreamError(.closed, "the stream to agent \(pid) is closed") }
        if sawEndOfFile { return [] }
        var buffer = [UInt8](repeating: 0, count: max(1, min(maximum, 1 << 20)))
        while true {
            let count = Glibc.read(stdoutFD, &buffer, buffer.count)
            if count > 0 { return Array(buffer[0..<count]) }
            if count == 0 {
                sawEndOfFile = true
                drainStderr()
                return []
            }
            guard errno == EAGAIN || errno == EINTR else {
                throw AgentStreamError(.failed, "reading from agent process \(pid): \(SystemError.last("read"))")
            }
            try wait(for: stdoutFD, events: Int16(POLLIN), until: deadline, doing: "reading from")
        }
    }

    /// Closes the agent's stdin (it exits at end of file), waits `closeGrace` for it; then sends SIGTERM
    /// (the agent stops a block still running and removes its temp dir) and, after another half second,
    /// SIGKILL; reaps it. Safe to call twice.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        closeDescriptor(&stdinFD)
        if waitForExit(until: ContinuousClock.now + Self.closeGrace) == nil {
            process.signal(SIGTERM)
            process.wait(until: ContinuousClock.now + .milliseconds(500))
        }
        drainStderr()
        closeDescriptor(&stdoutFD)
        closeDescriptor(&stderrFD)
    }

    /// How the agent process ended (if it has) and the end of what it wrote to stderr.
    public var diagnostics: String? {
        if sawEndOfFile && process.pollExit() == nil { _ = waitBriefly() }
        drainStderr()
        var parts: [String] = []
        if let status = process.pollExit() { parts.append("agent process \(pid): \(status)") }
        let text = String(decoding: stderrTail, as: UTF8.self).trimmingTrailingNewlines()
        if !text.isEmpty { parts.append("its stderr ends with: \(text)") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// Waits until `fd` is ready for `events`, draining stderr meanwhile.
    private func wait(
        for fd: Int32, events: Int16, until deadline: ContinuousClock.Instant, doing action: String
    ) throws(AgentStreamError) {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                throw AgentStreamError(.timedOut, "\(action) agent process \(pid): deadline passed")
            }
            if Task.isCancelled { throw AgentStreamError(.cancelled, "\(action) agent process \(pid)") }
            let slice = min(remaining, .milliseconds(200))
            let (seconds, attoseconds) = slice.components
            let milliseconds = Int32(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
            var descriptors = [
                pollfd(fd: fd, events: events, revents: 0), pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0),
            ]
            let rc = poll(&descriptors, 2, milliseconds)
            if rc < 0 && errno != EINTR {
                throw AgentStreamError(.failed, "\(action) agent process \(pid): \(SystemError.last("poll"))")
            }
            if descriptors[1].revents != 0 { drainStderr() }
            if descriptors[0].revents != 0 { return }
        }
    }

    /// Reads whatever stderr holds now, keeping the last 4 KiB.
    private func drainStderr() {
        guard stderrFD >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(stderrFD, &buffer, buffer.count)
            if count > 0 {
                stderrTail.append(contentsOf: buffer[0..<count])
                if stderrTail.count > 4096 { stderrTail.removeFirst(stderrTail.count - 4096) }
            } else {
                if count == 0 { closeDescriptor(&stderrFD) }
                return
            }
        }
    }

    private func waitBriefly() -> ExitStatus? {
        waitForExit(until: ContinuousClock.now + .milliseconds(200))
    }

    private func waitForExit(until deadline: ContinuousClock.Instant) -> ExitStatus? {
        while ContinuousClock.now < deadline {
            if let status = process.pollExit() { return status }
            usleep(2_000)
        }
        return process.pollExit()
    }

    private func exitNote() -> String {
        waitBriefly().map { " (\($0))" } ?? ""
    }

    private func closeDescriptor(_ fd: inout Int32) {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
