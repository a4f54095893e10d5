public import PlanModel

/// Why a run (or `exec`) was refused before it started.
public struct SessionError: DiagnosticConvertible, Sendable {
    public enum Code: String, Sendable {
        /// The run's journal cannot be created: nothing was started.
        case journalUnwritable = "journal-unwritable"
        /// A report asked for could not be written (the run itself is in its journal).
        case reportUnwritable = "report-unwritable"
        /// The command names a node the topology does not have.
        case unknownNode = "unknown-node"
        /// Another run holds the lab's or cluster's run lock.
        case busy
        /// A node's ssh_config host cannot be reached the way the file says.
        case sshConfig = "ssh-config"
        /// There is no earlier run of the topology to act on (`reset`).
        case noRun = "no-run"
        /// `--pcap-segment` names a segment the topology does not have.
        case unknownSegment = "unknown-segment"
        /// Packet captures were asked for but cannot be started (not a local lab, no tcpdump, tcpdump failed).
        case captureFailed = "capture-failed"
    }

    public var code: Code
    public var message: String
    public var hint: String
    public var cause: String?

    public var diagnostics: [Diagnostic] {
        let category: Diagnostic.Category =
            [.unknownNode, .sshConfig, .unknownSegment].contains(code) ? .input : .refused
        return [
            Diagnostic(code: "run.\(code.rawValue)", category: category, message: message, cause: cause, hint: hint)
        ]
    }

    static func journalUnwritable(_ path: String, cause: String) -> SessionError {
        SessionError(
            code: .journalUnwritable, message: "cannot create the run journal \(path); nothing was started",
            hint: "give a writable directory with --run-dir, or fix the permissions of its parent", cause: cause)
    }
}
