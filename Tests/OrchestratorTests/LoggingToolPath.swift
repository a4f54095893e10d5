import Foundation
import PlanModel

@testable import Orchestrator

/// A directory to put first on an agent's PATH: every program of /usr/bin linked, except those wrapped (a
/// script that logs its arguments, then runs the real program) and those hidden (absent). Shows which processes
/// the agent starts for a request.
struct LoggingToolPath {
    static let fping = ProcessEnvironment.which("fping")

    let directory: String
    var log: String { directory + "/calls.log" }
    var environment: [String] { ["PATH=\(directory)/bin", "HOME=/"] }

    init(wrapping wrapped: Set<String>, hiding hidden: Set<String> = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-tools-\(UUID())").path
        let bin = directory + "/bin"
        let manager = FileManager.default
        try manager.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: "/usr/bin") where !wrapped.union(hidden).contains(name) {
            try manager.createSymbolicLink(atPath: bin + "/" + name, withDestinationPath: "/usr/bin/" + name)
        }
        for name in wrapped {
            guard let real = ProcessEnvironment.which(name) else { continue }
            let script = "#!/bin/bash\nprintf '%s\\n' \"\(name) $*\" >>\(ShellWords.quote(log))\nexec \(real) \"$@\"\n"
            try script.write(toFile: bin + "/" + name, atomically: true, encoding: .utf8)
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/" + name)
        }
    }

    func calls() -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
