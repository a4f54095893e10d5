import NodeAgentProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// An `AgentStream` over the stdin and stdout pipes of a local process: the agent run by a local bash, or
/// entered into a lab node with `nsenter` when no SSH is wanted.
///
/// The pipes are non-blocking and every wait is `SystemCall.wait` with the caller's deadline (which notices a
/// cancelled task). The child's stderr is drained while waiting (so it can never fill up and stall the child) and
/// its tail is kept for `diagnostics`. Confined to one thread at a time.
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
            do {
                if let count = try SystemCall.write(stdinFD, bytes, from: offset) {
                    offset += count
                    continue
                }
            } catch  where error.errno == EPIPE {
                throw AgentStreamError(.closed, "agent process \(pid) no longer reads its stdin" + exitNote())
            } catch {
                throw AgentStreamError(.failed, "writing to agent process \(pid): \(error)")
            }
            try wait(for: stdinFD, events: Int16(POLLOUT), until: deadline, doing: "writing to")
        }
    }

    public func read(maximum: Int, until deadline: ContinuousClock.Instant) throws(AgentStreamError) -> [UInt8] {
        guard !isClosed else { throw AgentStreamError(.closed, "the stream to agent \(pid) is closed") }
        if sawEndOfFile { return [] }
        var buffer = [UInt8](repeating: 0, count: max(1, min(maximum, 1 << 20)))
        while true {
            let count: Int?
            do {
                count = try SystemCall.read(stdoutFD, into: &buffer)
            } catch {
                throw AgentStreamError(.failed, "reading from agent process \(pid): \(error)")
            }
            if let count, count > 0 { return Array(buffer[0..<count]) }
            if count == 0 {
                sawEndOfFile = true
                drainStderr()
                return []
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
        if process.waitForExit(until: .now + Self.closeGrace) == nil {
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
            var descriptors = [
                pollfd(fd: fd, events: events, revents: 0), pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0),
            ]
            let outcome: SystemCall.WaitOutcome
            do {
                outcome = try SystemCall.wait(&descriptors, until: deadline)
            } catch {
                throw AgentStreamError(.failed, "\(action) agent process \(pid): \(error)")
            }
            switch outcome {
            case .timedOut: throw AgentStreamError(.timedOut, "\(action) agent process \(pid): deadline passed")
            case .cancelled: throw AgentStreamError(.cancelled, "\(action) agent process \(pid)")
            case .ready:
                if descriptors[1].revents != 0 { drainStderr() }
                if descriptors[0].revents != 0 { return }
            }
        }
    }

    /// Reads whatever stderr holds now, keeping the last 4 KiB.
    private func drainStderr() {
        guard stderrFD >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try? SystemCall.read(stderrFD, into: &buffer)
            guard let count, count > 0 else {
                // 0 is the end of file; nil is "nothing now" (or a failed read, left for the next drain).
                if count == 0 { closeDescriptor(&stderrFD) }
                return
            }
            stderrTail.append(contentsOf: buffer[0..<count])
            if stderrTail.count > 4096 { stderrTail.removeFirst(stderrTail.count - 4096) }
        }
    }

    private func waitBriefly() -> ExitStatus? {
        process.waitForExit(until: .now + .milliseconds(200))
    }

    private func exitNote() -> String {
        waitBriefly().map { " (\($0))" } ?? ""
    }

    private func closeDescriptor(_ fd: inout Int32) {
        SystemCall.close(fd)
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
