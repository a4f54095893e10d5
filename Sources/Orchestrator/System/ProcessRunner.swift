#if canImport(Glibc)
    import Glibc
#endif

/// What a finished short-lived command produced.
public struct ProcessOutput: Sendable, Hashable {
    public var status: ExitStatus
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(status: ExitStatus, stdout: [UInt8], stderr: [UInt8]) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs short-lived commands to completion, feeding stdin and collecting stdout and stderr together
/// with `poll`, so a child that fills one pipe while we write the other can never deadlock us.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`; blocks the calling thread until it ends or `timeout` passes
    /// (then it is killed and the output so far is returned with `.signaled(SIGKILL)`).
    /// - Throws: `SystemError` if the program cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], input: [UInt8] = [], timeout: Duration = .seconds(60),
        environment: [String]? = nil
    ) throws(SystemError) -> ProcessOutput {
        let child = try ChildProcess(
            executable: executable, arguments: arguments,
            options: .init(environment: environment, stdin: input.isEmpty ? .null : .pipe, stdout: .pipe, stderr: .pipe)
        )
        let deadline = ContinuousClock.now + timeout
        let pipes = child.takePipes()
        var stdinFD = pipes.stdin ?? -1
        var readers = [pipes.stdout ?? -1, pipes.stderr ?? -1]
        var collected: [[UInt8]] = [[], []]
        var written = 0
        defer {
            if stdinFD >= 0 { close(stdinFD) }
            for fd in readers where fd >= 0 { close(fd) }
        }
        if stdinFD >= 0 { try SystemCall.setNonBlocking(stdinFD) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while (readers[0] >= 0 || readers[1] >= 0) && ContinuousClock.now < deadline {
            var descriptors = readers.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if stdinFD >= 0 { descriptors.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            let rc = poll(&descriptors, nfds_t(descriptors.count), 100)
            if rc < 0 && errno != EINTR { throw .last("poll") }
            if rc <= 0 { continue }
            for index in 0..<2 where readers[index] >= 0 && descriptors[index].revents != 0 {
                let count = read(readers[index], &buffer, buffer.count)
                if count > 0 {
                    collected[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(readers[index])
                    readers[index] = -1
                }
            }
            if stdinFD >= 0, descriptors[2].revents != 0 {
                let count = input.withUnsafeBytes { raw in
                    write(stdinFD, raw.baseAddress.map { $0 + written }, raw.count - written)
                }
                if count > 0 { written += count }
                if written >= input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                    close(stdinFD)
                    stdinFD = -1
                }
            }
        }
        let status = child.wait(until: deadline)
        return ProcessOutput(status: status, stdout: collected[0], stderr: collected[1])
    }
}
