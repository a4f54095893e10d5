import CSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn(2)`, with explicit control of its standard streams.
///
/// Used for everything testbed spawns: the lab's namespace holders and `ip -batch` runs, `sshd -i` behind
/// the command transport, a local agent. Pipes are created close-on-exec, so a child never inherits
/// another child's descriptors (a leaked write end would keep a reader waiting forever).
public final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `pid` and `pidfd` are immutable; `reaped` is only touched under `lock`.

    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        case inherit
        case null
        /// A new pipe; the parent's end is available as `stdinFD`/`stdoutFD`/`stderrFD`.
        case pipe
        /// An existing descriptor, duplicated onto the stream. The caller keeps ownership.
        case fileDescriptor(Int32)
        /// A file opened for writing (created with mode 0600).
        case file(path: String, append: Bool)
    }

    public struct Options: Sendable {
        public var environment: [String]?
        public var stdin: Stream = .null
        public var stdout: Stream = .pipe
        public var stderr: Stream = .pipe
        /// Start the child in a new session, so it outlives the terminal and is not hit by its Ctrl-C.
        public var newSession = false

        public init(
            environment: [String]? = nil, stdin: Stream = .null, stdout: Stream = .pipe, stderr: Stream = .pipe,
            newSession: Bool = false
        ) {
            self.environment = environment
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
            self.newSession = newSession
        }
    }

    public let pid: Int32
    public let executable: String
    /// The parent's ends of the pipes requested with `.pipe`; the caller owns and closes them.
    public private(set) var stdinFD: Int32?
    public private(set) var stdoutFD: Int32?
    public private(set) var stderrFD: Int32?

    private let lock = Lock()
    private var reaped: ExitStatus?
    /// A pidfd of the child, readable once it has ended, so waits need no polling of `waitpid`; -1 on kernels
    /// without pidfds. Opened before the child can be reaped, so it cannot name another process.
    private let pidfd: Int32

    /// Spawns `executable` (an absolute path) with `arguments` (not including argv[0]).
    /// - Throws: `SystemError` when the pipes cannot be made or the program cannot be started.
    public init(executable: String, arguments: [String], options: Options = Options()) throws(SystemError) {
        self.executable = executable
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if options.newSession { flags |= Int32(testbed_posix_spawn_setsid()) }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var childEnds: [Int32] = []
        var parentEnds: [Int32?] = [nil, nil, nil]
        defer { for fd in childEnds { SystemCall.close(fd) } }
        do {
            for (target, stream) in [(Int32(0), options.stdin), (1, options.stdout), (2, options.stderr)] {
                switch stream {
                case .inherit:
                    break
                case .null:
                    posix_spawn_file_actions_addopen(
                        &fileActions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
                case .fileDescriptor(let fd):
                    posix_spawn_file_actions_adddup2(&fileActions, fd, target)
                case .file(let path, let append):
                    let mode = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
                    posix_spawn_file_actions_addopen(&fileActions, target, path, mode, 0o600)
                case .pipe:
                    let (readEnd, writeEnd) = try SystemCall.pipe()
                    let (child, parent) = target == 0 ? (readEnd, writeEnd) : (writeEnd, readEnd)
                    childEnds.append(child)
                    parentEnds[Int(target)] = parent
                    posix_spawn_file_actions_adddup2(&fileActions, child, target)
                }
            }
        } catch {
            for case let fd? in parentEnds { SystemCall.close(fd) }
            throw error
        }
        // The child gets its three standard streams and nothing else: no descriptor of ours (a held flock, the
        // other end of a socket) may live on in it, or in the daemons it starts.
        testbed_spawn_close_from(&fileActions, 3)

        let argv = [executable] + arguments
        let environment = options.environment ?? ProcessEnvironment.current
        var childPID: Int32 = 0
        let result = withCStrings(argv) { argvPointers in
            withCStrings(environment) { envPointers in
                posix_spawn(&childPID, executable, &fileActions, &attributes, argvPointers, envPointers)
            }
        }
        guard result == 0 else {
            for case let fd? in parentEnds { SystemCall.close(fd) }
            throw SystemError(call: "posix_spawn", errno: result, detail: "cannot start \(executable)")
        }
        pid = childPID
        stdinFD = parentEnds[0]
        stdoutFD = parentEnds[1]
        stderrFD = parentEnds[2]
        pidfd = (try? SystemCall.pidfdOpen(childPID)) ?? -1
    }

    deinit {
        for case let fd? in [stdinFD, stdoutFD, stderrFD] { SystemCall.close(fd) }
        SystemCall.close(pidfd)
    }

    /// Closes the parent's end of the child's stdin, so the child sees end of file.
    public func closeStdin() {
        if let fd = stdinFD { SystemCall.close(fd) }
        stdinFD = nil
    }

    /// Hands over the parent's pipe ends; the caller becomes responsible for closing them.
    public func takePipes() -> (stdin: Int32?, stdout: Int32?, stderr: Int32?) {
        defer { stdinFD = nil; stdoutFD = nil; stderrFD = nil }
        return (stdinFD, stdoutFD, stderrFD)
    }

    /// Sends a signal; a child that is already gone is not an error.
    public func signal(_ signal: Int32) {
        // Until it is reaped the child keeps its PID, so signalling by PID is safe; the pidfd is used when there.
        lock.withLock {
            guard reaped == nil else { return }
            _ = try? (pidfd >= 0 ? SystemCall.pidfdSignal(pidfd, signal) : SystemCall.signal(pid: pid, signal))
        }
    }

    /// Waits for the child to end and returns how it ended. Blocks the calling thread.
    @discardableResult
    public func wait() -> ExitStatus {
        while true {
            if let status = pollExit() { return status }
            var raw: Int32 = 0
            let rc = waitpid(pid, &raw, 0)
            if rc == pid { return record(raw) }
            if rc < 0 && errno != EINTR { return lock.withLock { reaped ?? .exited(255) } }
        }
    }

    /// Returns how the child ended if it has, without blocking.
    public func pollExit() -> ExitStatus? {
        lock.withLock {
            if let reaped { return reaped }
            var raw: Int32 = 0
            let rc = waitpid(pid, &raw, WNOHANG)
            guard rc == pid else { return nil }
            let status = ExitStatus(waitStatus: raw)
            reaped = status
            return status
        }
    }

    /// Waits until `deadline`; past it, sends SIGKILL and reaps.
    @discardableResult
    public func wait(until deadline: ContinuousClock.Instant) -> ExitStatus {
        if let status = waitForExit(until: deadline) { return status }
        signal(SIGKILL)
        return wait()
    }

    /// Waits until the child ends or `deadline` passes, whichever is first; never signals it.
    /// - Returns: How it ended, or nil if it still runs at the deadline.
    public func waitForExit(until deadline: ContinuousClock.Instant) -> ExitStatus? {
        while ContinuousClock.now < deadline {
            if let status = pollExit() { return status }
            // The pidfd is readable once the child has ended. Without one (an old kernel) or if poll fails, look
            // again shortly.
            let waited =
                pidfd >= 0
                && (try? SystemCall.wait(pidfd, events: Int16(POLLIN), until: deadline, cancellable: false)) != nil
            if !waited { usleep(2_000) }
        }
        return pollExit()
    }

    private func record(_ raw: Int32) -> ExitStatus {
        lock.withLock {
            let status = ExitStatus(waitStatus: raw)
            reaped = status
            return status
        }
    }
}

/// How a process ended.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    init(waitStatus raw: Int32) {
        let signal = raw & 0x7F
        if signal == 0 {
            self = .exited((raw >> 8) & 0xFF)
        } else {
            self = .signaled(signal)
        }
    }

    public var isSuccess: Bool { self == .exited(0) }

    /// The status a shell would report: the exit code, or 128 + signal.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}

/// Calls `body` with a NULL-terminated C array of the strings; no pointer outlives the call.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
