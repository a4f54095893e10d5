#if canImport(Glibc)
    import Glibc
#endif

/// The program behind a command transport (OpenSSH's `ProxyCommand` idea): it speaks SSH on its standard input
/// and output, which are one end of a `socketpair(2)`; the session runs the handshake on the other end.
///
/// Its standard error goes to an unlinked temporary file, so it can never block on a full pipe and its tail can
/// explain a failure. Owns the child: ``terminate()`` (also run by deinit) reaps it, killing it if needed.
final class ProxyCommandProcess {
    let child: ChildProcess
    /// The command line, for messages.
    let commandLine: String
    /// Read end of the unlinked file the child writes its standard error to.
    private let standardErrorFile: Int32
    private var isTerminated = false

    /// Starts the program.
    /// - Parameters:
    ///   - executable: An absolute path, or a name looked up in `PATH` and the sbin directories.
    ///   - arguments: The arguments, without argv[0].
    /// - Returns: The process and the parent's end of the socket pair (non-blocking, close-on-exec), which the
    ///   caller owns.
    /// - Throws: `TransportFailure` when the program is not found or cannot be started.
    static func start(executable: String, arguments: [String]) throws(TransportFailure) -> (ProxyCommandProcess, Int32)
    {
        let commandLine = ([executable] + arguments).joined(separator: " ")
        guard let path = ProcessEnvironment.which(executable) else {
            throw TransportFailure(.failed, "proxy command program '\(executable)' was not found or is not executable")
        }
        let errorFile: Int32
        do {
            errorFile = try SystemCall.anonymousFile(template: "/tmp/testbed-proxy-stderr-XXXXXX")
        } catch {
            throw TransportFailure(
                .failed, "cannot create a temporary file for the proxy command's standard error",
                cause: String(cString: strerror(error.errno)))
        }
        let parentEnd: Int32
        let childEnd: Int32
        do {
            (parentEnd, childEnd) = try SystemCall.socketPair()
        } catch {
            SystemCall.close(errorFile)
            throw TransportFailure(.failed, "cannot create the socket pair for the proxy command", cause: "\(error)")
        }
        defer { SystemCall.close(childEnd) }
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: path, arguments: arguments,
                options: .init(
                    stdin: .fileDescriptor(childEnd), stdout: .fileDescriptor(childEnd),
                    stderr: .fileDescriptor(errorFile), newSession: true))
            try SystemCall.setNonBlocking(parentEnd)
        } catch {
            SystemCall.close(parentEnd)
            SystemCall.close(errorFile)
            throw TransportFailure(.failed, "cannot start the proxy command \(commandLine)", cause: "\(error)")
        }
        let process = ProxyCommandProcess(child: child, commandLine: commandLine, standardErrorFile: errorFile)
        return (process, parentEnd)
    }

    private init(child: ChildProcess, commandLine: String, standardErrorFile: Int32) {
        self.child = child
        self.commandLine = commandLine
        self.standardErrorFile = standardErrorFile
    }

    deinit {
        terminate()
        SystemCall.close(standardErrorFile)
    }

    /// The last `limit` bytes the program wrote to standard error, trimmed.
    func standardErrorTail(limit: Int = 2048) -> String {
        guard let status = try? SystemCall.status(of: standardErrorFile), status.st_size > 0 else { return "" }
        let size = Int(status.st_size)
        let start = max(0, size - limit)
        guard let tail = try? SystemCall.read(standardErrorFile, count: size - start, at: start) else { return "" }
        return String(decoding: tail, as: UTF8.self).trimmingWhitespace
    }

    /// How the program ended, if it ends within `grace` (it has usually died already when this is asked).
    func exitStatus(within grace: Duration) -> ExitStatus? {
        child.waitForExit(until: .now + grace)
    }

    /// Ends the program and reaps it: it normally exits by itself once the socket is shut down; after `grace` it
    /// gets SIGTERM, and half a second later SIGKILL. Idempotent.
    /// - Parameter grace: How long to let it exit by itself: a second after a clean disconnect, less after a failure.
    func terminate(grace: Duration = .seconds(1)) {
        guard !isTerminated else { return }
        isTerminated = true
        if exitStatus(within: grace) != nil { return }
        child.signal(SIGTERM)
        child.wait(until: .now + .milliseconds(500))
    }

    /// A one-line summary of why the program is gone, or nil while it runs: its status and standard error.
    func failureSummary() -> String? {
        guard let status = exitStatus(within: .milliseconds(200)) else { return nil }
        let tail = standardErrorTail()
        return tail.isEmpty ? "the proxy command ended (\(status))" : "the proxy command ended (\(status)): \(tail)"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
