import Glibc
import Logging
import Synchronization
import Testing

@testable import Orchestrator

/// Whether the real-sshd suites can run here: they need root (sshd, mount namespaces) and OpenSSH's binaries.
let sshIntegrationPrerequisites: (isMet: Bool, reason: String) = {
    if getuid() != 0 { return (false, "needs root to run sshd in a private mount namespace") }
    for tool in ["/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/ssh-agent", "/usr/bin/ssh-add"]
    where access(tool, X_OK) != 0 {
        return (false, "needs \(tool) (apt-get install openssh-server openssh-client util-linux)")
    }
    return (true, "")
}()

/// Throwaway keys, an sshd configuration and known_hosts files in a temporary directory, removed at the end.
final class SSHTestLab {
    let directory: String
    /// The server's ed25519 host key (public part).
    let hostKey: HostKey
    let clientKey: String
    let configPath: String

    init() throws {
        var template = Array("/tmp/testbed-ssh-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else { throw SystemError.last("mkdtemp") }
        directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        clientKey = directory + "/client_ed25519"
        configPath = directory + "/sshd_config"
        try Self.keygen(["-t", "ed25519", "-f", directory + "/host_ed25519"])
        try Self.keygen(["-t", "ed25519", "-f", clientKey])
        hostKey = try Self.publicKey(directory + "/host_ed25519.pub")
        try authorize(clientKey)
        try write(
            "sshd_config",
            """
            HostKey \(directory)/host_ed25519
            AuthorizedKeysFile \(directory)/authorized_keys
            PermitRootLogin yes
            UsePAM no
            StrictModes no
            PidFile none
            LogLevel ERROR
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            MaxAuthTries 10

            """)
    }

    deinit {
        _ = try? ProcessRunner.run("/bin/rm", ["-rf", directory])
    }

    func path(_ name: String) -> String { directory + "/" + name }

    /// Generates a key pair; `ssh-keygen` arguments such as `-t rsa -b 2048 -f PATH`.
    static func keygen(_ arguments: [String], passphrase: String = "") throws {
        let output = try ProcessRunner.run(
            "/usr/bin/ssh-keygen", ["-q", "-N", passphrase, "-C", "testbed-test"] + arguments)
        guard output.status.isSuccess else { throw TestFailure("ssh-keygen \(arguments) failed: \(output.stderrText)") }
    }

    static func publicKey(_ path: String) throws -> HostKey {
        let text = String(decoding: try LocalFile.contents(of: path) ?? [], as: UTF8.self)
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let blob = Base64.decode(fields[1]), let key = HostKey(blob: blob) else {
            throw TestFailure("cannot read the public key \(path)")
        }
        return key
    }

    /// The fingerprint `ssh-keygen -lf` prints for a public key file.
    static func sshKeygenFingerprint(_ publicKeyPath: String) throws -> String {
        let output = try ProcessRunner.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", publicKeyPath])
        let fields = output.stdoutText.split(separator: " ")
        guard output.status.isSuccess, fields.count > 1 else { throw TestFailure("ssh-keygen -lf failed") }
        return String(fields[1])
    }

    /// Adds a key's public half to the server's authorized_keys.
    func authorize(_ privateKeyPath: String) throws {
        let line = String(decoding: try LocalFile.contents(of: privateKeyPath + ".pub") ?? [], as: UTF8.self)
        try LocalFile.append(line.hasSuffix("\n") ? line : line + "\n", to: path("authorized_keys"))
    }

    func write(_ name: String, _ text: String) throws {
        _ = unlink(path(name))
        try LocalFile.append(text, to: path(name))
    }

    func read(_ name: String) throws -> String {
        String(decoding: try LocalFile.contents(of: path(name)) ?? [], as: UTF8.self)
    }

    /// sshd wrapped in a private mount namespace with its own /run, so /run/sshd exists without touching the host,
    /// and in its own PID namespace, so that killing the recorded `unshare` (whose child dies with it, by
    /// `--kill-child`) ends every process sshd started, even commands orphaned by a closed connection.
    /// With `untilStdinCloses`, the namespace's first process waits on its standard input (a pipe only the test
    /// process holds) instead of becoming sshd: when the test process dies without stopping the daemon — a crash,
    /// a signal — the pipe closes, that process exits, and the kernel ends the whole PID namespace with it.
    func sshdCommand(_ sshdArguments: String, untilStdinCloses: Bool = false) -> (String, [String]) {
        let prepare = "mount -t tmpfs none /run && mkdir -m 755 /run/sshd && "
        let script =
            untilStdinCloses
            ? prepare + "{ /usr/sbin/sshd \(sshdArguments) </dev/null & } && read -r _; exit 0"
            : prepare + "exec /usr/sbin/sshd \(sshdArguments)"
        return (
            "/usr/bin/unshare",
            [
                "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private", "/bin/sh",
                "-c", script,
            ]
        )
    }

    /// The command transport: `sshd -i` on the socket pair, as the lab's nsenter transport does.
    var commandTransport: SSHEndpoint.Transport {
        let (executable, arguments) = sshdCommand("-i -f \(configPath)")
        return .command(executable: executable, arguments: arguments)
    }

    /// An endpoint with this lab's client key and a known_hosts file named `knownHosts`.
    func endpoint(
        _ transport: SSHEndpoint.Transport, knownHosts: String = "known_hosts", alias: String? = nil,
        policy: HostKeyPolicy = .strict, identity: [String]? = nil, timeout: Duration = .seconds(10)
    ) -> SSHEndpoint {
        SSHEndpoint(
            transport: transport, user: "root", identityFiles: identity ?? [clientKey], useAgent: false,
            knownHostsFiles: [path(knownHosts)], hostKeyAlias: alias, hostKeyPolicy: policy, connectTimeout: timeout,
            keepaliveInterval: nil)
    }

    /// Starts `sshd -D` on a free loopback port and waits until it accepts connections.
    func startDaemon() throws -> SSHTestDaemon {
        let port = try freeLoopbackPort()
        let (executable, arguments) = sshdCommand(
            "-D -e -p \(port) -o ListenAddress=127.0.0.1 -f \(configPath)", untilStdinCloses: true)
        let child = try ChildProcess(
            executable: executable, arguments: arguments,
            options: .init(stdin: .pipe, stdout: .null, stderr: .file(path: path("sshd.log"), append: true)))
        let daemon = SSHTestDaemon(child: child, port: port)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if child.pollExit() != nil {
                throw TestFailure("sshd exited at start: \((try? read("sshd.log")) ?? "")")
            }
            if let fd = try? TCPConnector.connect(host: "127.0.0.1", port: port, until: .now + .seconds(1)) {
                close(fd)
                return daemon
            }
            usleep(20_000)
        }
        daemon.stop()
        throw TestFailure("sshd did not start listening on port \(port)")
    }

    private func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bind(fd, sockaddrPointer, length) == 0 && getsockname(fd, sockaddrPointer, &length) == 0
            }
        }
        guard bound else { throw SystemError.last("bind") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A running `sshd -D`, stopped by its recorded PID (with its descendants: the per-connection sshd processes
/// and their commands), never by name.
final class SSHTestDaemon {
    let child: ChildProcess
    let port: Int
    private var isStopped = false

    init(child: ChildProcess, port: Int) {
        self.child = child
        self.port = port
    }

    deinit { stop() }

    var transport: SSHEndpoint.Transport { .tcp(host: "127.0.0.1", port: port) }

    /// Freezes the daemon and every process descending from it with SIGSTOP (so no sshd can still report a
    /// command's end to the client), then SIGKILLs them all and reaps the daemon.
    func stop() {
        guard !isStopped else { return }
        isStopped = true
        child.signal(SIGSTOP)
        var frozen: Set<Int32> = []
        for _ in 0..<3 {  // a process forked while we were freezing is caught on the next pass
            for pid in descendants(of: child.pid) where !frozen.contains(pid) {
                kill(pid, SIGSTOP)
                frozen.insert(pid)
            }
        }
        for pid in frozen { kill(pid, SIGKILL) }
        child.signal(SIGKILL)
        child.wait()
        // kill() only queues the signal: wait until each process is dead (gone, or a zombie whose sockets are
        // closed), so the port no longer accepts once stop() returns.
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline, frozen.contains(where: isAlive) { usleep(5_000) }
    }

    /// Whether `pid` exists and is not a zombie.
    private func isAlive(_ pid: Int32) -> Bool {
        guard let bytes = try? LocalFile.contents(of: "/proc/\(pid)/stat"),
            let closing = bytes.lastIndex(of: UInt8(ascii: ")")), closing + 2 < bytes.count
        else { return false }
        return bytes[closing + 2] != UInt8(ascii: "Z")
    }

    /// The PIDs below `root` in the process tree, parents before children, read from /proc/<pid>/stat.
    private func descendants(of root: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name),
                let bytes = try? LocalFile.contents(of: "/proc/\(name)/stat"),
                let closing = bytes.lastIndex(of: UInt8(ascii: ")"))
            else { continue }
            // After "pid (comm)": " state ppid ..."
            let fields = bytes[(closing + 1)...].split(separator: UInt8(ascii: " "))
            if fields.count > 1, let ppid = Int32(String(decoding: fields[1], as: UTF8.self)) { parents[pid] = ppid }
        }
        var result: [Int32] = []
        var frontier = [root]
        while let current = frontier.popLast() {
            let children = parents.filter { $0.value == current }.map(\.key)
            result += children
            frontier += children
        }
        return result
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Collects log lines in memory, so a test can check what was (and was not) logged.
struct SSHTestLogHandler: LogHandler {
    let lines: SSHTestLogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.level) \(event.message) \(merged)")
    }
}

final class SSHTestLogLines: Sendable {
    private let storage = Mutex<[String]>([])

    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var all: [String] { storage.withLock { $0 } }

    /// A logger at trace level writing here.
    func logger() -> Logger {
        Logger(label: "ssh-test") { _ in SSHTestLogHandler(lines: self) }
    }
}
