import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Facts and helpers for tests that need root, the real kernel and the built `testbed` binary.
enum LabTestSupport {
    static let isRoot = geteuid() == 0
    static let hasLabTools = (try? HostTools.locate()) != nil
    static let canRunLabs = isRoot && hasLabTools
    static let skipReason: Comment = "needs root and iproute2, util-linux, openssh-server (run the README test command)"

    /// The repository root, found from this file.
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url = url.deletingLastPathComponent()
        }
        return url.path
    }()

    /// `shared/seeds` beside the repository or beside one of its parents (a worktree under `wt/`).
    static let seeds: String = {
        var url = URL(fileURLWithPath: repository).deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("shared/seeds").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return repository + "/../shared/seeds"
    }()

    /// The `testbed` executable built next to the test bundle.
    static let binary: String = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var url = bundleDirectory
        while url.path != "/" {
            let candidate = url.appendingPathComponent("testbed").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return repository + "/.build/debug/testbed"
    }()

    /// A fresh state root, so tests never meet a user's labs.
    static func makeStateRoot() -> String {
        var template = Array("/tmp/testbed-it-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        return path ?? "/tmp/testbed-it-fallback"
    }

    /// Runs the CLI with `TESTBED_HOME` set to `home`.
    static func testbed(_ arguments: [String], home: String, timeout: Duration = .seconds(120)) throws -> ProcessOutput
    {
        let environment =
            ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_HOME=") } + ["TESTBED_HOME=\(home)"]
        return try ProcessRunner.run(binary, arguments, timeout: timeout, environment: environment)
    }

    static func ssh(_ config: String, _ node: String, _ command: String) throws -> ProcessOutput {
        try ProcessRunner.run("/usr/bin/ssh", ["-F", config, node, command], timeout: .seconds(30))
    }

    /// Starts the CLI with `TESTBED_HOME` set to `home`, its output on pipes (to be interrupted, say).
    static func start(_ arguments: [String], home: String) throws -> ChildProcess {
        try ChildProcess(
            executable: binary, arguments: arguments,
            options: .init(
                environment: ProcessEnvironment.current.filter { !$0.hasPrefix("TESTBED_HOME=") }
                    + ["TESTBED_HOME=\(home)"], stdout: .pipe, stderr: .pipe))
    }

    /// Reads a started child's stdout to the end and waits for it; returns its status and that output.
    static func finish(_ child: ChildProcess) -> (Orchestrator.ExitStatus, String) {
        let pipes = child.takePipes()
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while let fd = pipes.stdout {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        let status = child.wait()
        for case let fd? in [pipes.stdout, pipes.stderr] { close(fd) }
        return (status, String(decoding: output, as: UTF8.self))
    }

    static func sh(_ command: String) throws -> ProcessOutput {
        try ProcessRunner.run("/bin/sh", ["-c", command], timeout: .seconds(30))
    }

    /// Writes a generated topology with `count` nodes on one segment and returns its path.
    static func writeLineTopology(name: String, count: Int, in directory: String) throws -> String {
        var text = "name: \(name)\nnodes:\n"
        for index in 0..<count {
            text += "  n\(index): {interfaces: {eth1: {addresses: [10.77.\(index / 200).\(index % 200 + 1)/16]}}}\n"
        }
        text += "links:\n  - endpoints: [" + (0..<count).map { "\"n\($0):eth1\"" }.joined(separator: ", ") + "]\n"
        let path = directory + "/\(name).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// What the lab could leave behind on the machine: links and named namespaces of the root namespace,
/// mounts of our mount namespace, and processes living in other network or UTS namespaces.
struct SystemSnapshot: Equatable, CustomStringConvertible {
    var links: [String]
    var namespaces: [String]
    var mounts: [String]
    var namespacedProcesses: Set<String>

    static func capture() throws -> SystemSnapshot {
        _ = primeNetnsDirectory
        let links = try LabTestSupport.sh("ip -o link show | awk -F': ' '{print $2}'").stdoutText
        let namespaces = try LabTestSupport.sh("ip netns list").stdoutText
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let ownNet = try LabTestSupport.sh("readlink /proc/self/ns/net").stdoutText
        let ownUTS = try LabTestSupport.sh("readlink /proc/self/ns/uts").stdoutText
        var processes: Set<String> = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            let net = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/net")) ?? ""
            let uts = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/uts")) ?? ""
            let stat = (try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8)) ?? ""
            let zombie = stat.split(separator: ")").last?.split(separator: " ").first == "Z"
            guard !net.isEmpty, !zombie else { continue }
            if net + "\n" != ownNet || uts + "\n" != ownUTS { processes.insert("\(entry) \(stat.prefix(40))") }
        }
        return SystemSnapshot(
            links: links.split(separator: "\n").map(String.init).sorted(),
            namespaces: namespaces.split(separator: "\n").map(String.init).sorted(),
            mounts: mounts.split(separator: "\n").map(String.init).sorted(),
            namespacedProcesses: processes)
    }

    /// The first `ip netns add` after boot bind-mounts /run/netns on itself (shared, so that the namespaces'
    /// mounts propagate) and iproute2 never undoes it: it is the host's, holding every tool's namespaces. A
    /// provider lab (LXD members, the switch) makes named namespaces, so on a fresh machine the first lab test to
    /// do so saw that mount appear and called it a leftover. Making it once, before any snapshot, keeps the check
    /// exact for every mount a lab could really leave.
    private static let primeNetnsDirectory: Void = {
        _ = try? LabTestSupport.sh(
            "mkdir -p /run/netns && (mountpoint -q /run/netns || mount --rbind /run/netns /run/netns) "
                + "&& mount --make-rshared /run/netns")
    }()

    /// Waits (briefly) for the kernel to finish tearing down, then compares with `before`:
    /// nothing may have appeared.
    static func leftovers(since before: SystemSnapshot) throws -> [String] {
        var problems: [String] = []
        for _ in 0..<100 {
            let now = try capture()
            problems = []
            let newLinks = Set(now.links).subtracting(before.links)
            let newNamespaces = Set(now.namespaces).subtracting(before.namespaces)
            let newMounts = Set(now.mounts).subtracting(before.mounts)
            let newProcesses = now.namespacedProcesses.subtracting(before.namespacedProcesses)
            if !newLinks.isEmpty { problems.append("links: \(newLinks.sorted())") }
            if !newNamespaces.isEmpty { problems.append("netns: \(newNamespaces.sorted())") }
            if !newMounts.isEmpty { problems.append("mounts: \(newMounts.sorted())") }
            if !newProcesses.isEmpty { problems.append("processes: \(newProcesses.sorted())") }
            if problems.isEmpty { return [] }
            usleep(50_000)
        }
        return problems
    }

    /// Records an issue naming what was left behind (a bare `#expect(try … == [])` prints no values).
    static func expectNoLeftovers(since before: SystemSnapshot, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let found = try leftovers(since: before)
        #expect(found.isEmpty, "left behind: \(found)", sourceLocation: sourceLocation)
    }

    var description: String {
        "links \(links), netns \(namespaces), \(mounts.count) mounts, \(namespacedProcesses.count) processes"
    }
}
