import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One run at a time per lab or cluster: an exclusive, non-waiting `flock(2)` on
/// `<state root>/runs/<topology name>.lock`, held for the whole run (connect to close). A second run against the
/// same nodes is refused at once, naming the run that holds it; the kernel drops the lock when its holder
/// dies, so a run killed by SIGKILL never blocks the next one (or its `--resume`).
///
/// Apart from `LabLock`, which `lab up` and `lab down` hold only while they build or remove: a run does not
/// stop `lab down` (the run then fails at its next unit, and is resumable once the lab is back).
final class RunLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { SystemCall.close(fd) }

    static func path(topology name: String, stateRoot: String) -> String {
        RunDirectory.runsDirectory(topology: name, stateRoot: stateRoot) + ".lock"
    }

    /// Takes the lock, writing `holder` (the run's directory) into it for whoever is refused.
    /// - Throws: `SessionError` (`.busy`) when another run holds it, `.journalUnwritable` when it cannot be made.
    static func acquire(topology name: String, stateRoot: String, holder: String) throws(SessionError) -> RunLock {
        let path = path(topology: name, stateRoot: stateRoot)
        let fd: Int32
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            fd = try SystemCall.open(path, O_RDWR | O_CREAT, 0o644)
        } catch {
            throw SessionError.journalUnwritable(path, cause: "\(error)")
        }
        let locked: Bool
        do {
            locked = try SystemCall.lockExclusive(fd, wait: false)
        } catch {
            SystemCall.close(fd)
            throw SessionError.journalUnwritable(path, cause: "\(error)")
        }
        guard locked else {
            let other = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .newlines) ?? ""
            SystemCall.close(fd)
            throw SessionError(
                code: .busy,
                message: "another run is using '\(name)'" + (other.isEmpty ? "" : " (\(other))"),
                hint:
                    "wait for it to finish (or stop it with Ctrl-C); two runs on the same nodes would mix their states")
        }
        _ = ftruncate(fd, 0)
        try? SystemCall.writeAll(fd, Array("pid \(getpid()), \(holder)\n".utf8))
        return RunLock(fd: fd)
    }
}
