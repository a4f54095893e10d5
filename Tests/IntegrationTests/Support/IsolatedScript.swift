import Foundation
import Orchestrator
import Testing

/// A block's script run the way the agent runs it, in a throwaway network namespace (needs root).
enum IsolatedScript {
    struct Outcome: Equatable {
        var status: Orchestrator.ExitStatus
        var stdout: String
        var stderr: String
        /// "LINE STATUS" of the first failing command, as the agent's ERR trap reports it; empty if none.
        var failure: String
        /// What `dump` printed.
        var save: String
        /// How many times the `iptables` program itself ran.
        var iptablesCalls: Int
    }

    /// Sources `script` under `set -eE` with the agent's kind of ERR trap, in a fresh network namespace, with an
    /// `iptables` on PATH that counts its calls; then runs `dump` (with the real PATH) for the state.
    static func run(_ script: String, dump: String) throws -> Outcome {
        let dir = LabTestSupport.makeStateRoot()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        let real = try ProcessRunner.run("/bin/sh", ["-c", "command -v iptables"]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try "#!/bin/sh\necho x >>\(dir)/calls\nexec \(real) \"$@\"\n".write(
            toFile: dir + "/bin/iptables", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/bin/iptables")
        try script.write(toFile: dir + "/script.sh", atomically: true, encoding: .utf8)
        let driver = """
            ip link set lo up; : >\(dir)/calls; : >\(dir)/err; export PATH=\(dir)/bin:$PATH
            (trap 'e=$? l=$LINENO; [[ -s \(dir)/err || ${BASH_SOURCE[0]} != \(dir)/script.sh ]] || echo "$l $e" >\(dir)/err' ERR
             set -eE; . \(dir)/script.sh) >\(dir)/out 2>\(dir)/stderr
            echo $? >\(dir)/status
            PATH=${PATH#*:}; \(dump)
            """
        let output = try ProcessRunner.run(
            "/usr/bin/unshare", ["--net", "/bin/bash", "-c", driver], timeout: .seconds(30))
        #expect(output.status == .exited(0), "\(output.stderrText)")
        func read(_ name: String) -> String {
            (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? ""
        }
        let calls = read("calls").split(separator: "\n").count
        return Outcome(
            status: .exited(Int32(read("status").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1),
            stdout: read("out"), stderr: read("stderr"), failure: read("err"), save: output.stdoutText,
            iptablesCalls: calls)
    }
}
