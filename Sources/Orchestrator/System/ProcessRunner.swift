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
        var transfer = Transfer(
            input: input, stdin: pipes.stdin ?? -1, readers: [pipes.stdout ?? -1, pipes.stderr ?? -1])
        defer { transfer.closeAll() }
        if transfer.stdin >= 0 { try SystemCall.setNonBlocking(transfer.stdin) }
        while transfer.isOpen {
            var descriptors = transfer.readers.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            descriptors.append(pollfd(fd: transfer.stdin, events: Int16(POLLOUT), revents: 0))
            guard try SystemCall.wait(&descriptors, until: deadline, cancellable: false) == .ready else { break }
            transfer.step(descriptors)
        }
        let status = child.wait(until: deadline)
        return ProcessOutput(status: status, stdout: transfer.collected[0], stderr: transfer.collected[1])
    }

    /// The parent's side of the child's three pipes: input still to write, output read so far.
    private struct Transfer {
        let input: [UInt8]
        var stdin: Int32
        /// stdout and stderr; -1 once closed.
        var readers: [Int32]
        var collected: [[UInt8]] = [[], []]
        var written = 0
        var buffer = [UInt8](repeating: 0, count: 65536)

        init(input: [UInt8], stdin: Int32, readers: [Int32]) {
            self.input = input
            self.stdin = stdin
            self.readers = readers
        }

        /// Output is still to come (the child ends when both its stdout and stderr are closed).
        var isOpen: Bool { readers[0] >= 0 || readers[1] >= 0 }

        /// Reads and writes what `descriptors` (readers, then stdin) say is ready.
        mutating func step(_ descriptors: [pollfd]) {
            for index in 0..<2 where readers[index] >= 0 && descriptors[index].revents != 0 {
                do {
                    guard let count = try SystemCall.read(readers[index], into: &buffer) else { continue }
                    if count > 0 {
                        collected[index].append(contentsOf: buffer[0..<count])
                        continue
                    }
                } catch {}  // a failed read ends that stream, as end of file does
                close(&readers[index])
            }
            guard stdin >= 0, descriptors[2].revents != 0 else { return }
            do {
                written += try SystemCall.write(stdin, input, from: written) ?? 0
                if written >= input.count { close(&stdin) }
            } catch {
                close(&stdin)  // the child stopped reading (EPIPE): the rest of the input is not wanted
            }
        }

        mutating func closeAll() {
            close(&stdin)
            for index in readers.indices { close(&readers[index]) }
        }

        private func close(_ fd: inout Int32) {
            SystemCall.close(fd)
            fd = -1
        }
    }
}
