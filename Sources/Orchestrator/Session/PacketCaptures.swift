import Foundation
import Logging
import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// The packet captures of one run: a `tcpdump` per chosen bridge inside the lab's switch namespace, writing
/// pcap files into the run directory.
///
/// Each capture is a lab object: recorded in the lab journal before it starts (with the PID file its
/// wrapper writes first), then with its PID and start time, and as removed once stopped — so `lab down`
/// stops captures a crashed run left behind, by recorded PID only.
final class PacketCaptures {
    struct Capture {
        let file: PacketCaptureFile
        let object: LabObject
        let process: ChildProcess
        let pidFile: String
    }

    let files: [PacketCaptureFile]
    private let captures: [Capture]
    private let journal: LabJournal
    private let logger: Logger

    private init(files: [PacketCaptureFile], captures: [Capture], journal: LabJournal, logger: Logger) {
        self.files = files
        self.captures = captures
        self.journal = journal
        self.logger = logger
    }

    /// Starts every capture and waits until each tcpdump says it is listening, so no packet of the first
    /// unit is missed. Immediate mode hands each packet to tcpdump as it arrives (otherwise libpcap holds them
    /// in its ring for up to a second, and a short run stops the capture before they are written). On any failure the captures already started are stopped again.
    /// - Throws: `SessionError` (`.captureFailed`) naming the bridge and what tcpdump said.
    static func start(
        _ files: [PacketCaptureFile], lab: LabSummary, paths: LabPaths, runDirectory: String, logger: Logger
    ) throws(SessionError) -> PacketCaptures {
        guard let tcpdump = ProcessEnvironment.which("tcpdump") else {
            throw failure("tcpdump is not installed", hint: "install it: Scripts/install-deps (Debian package tcpdump)")
        }
        let nsenter = ProcessEnvironment.which("nsenter") ?? "/usr/bin/nsenter"
        let journal: LabJournal
        do {
            journal = try LabJournal(path: paths.journal)
            try FileManager.default.createDirectory(
                atPath: runDirectory + "/pcap", withIntermediateDirectories: true)
        } catch {
            throw failure("cannot prepare the captures", hint: "check the lab and run directories", cause: "\(error)")
        }
        var started = PacketCaptures(files: files, captures: [], journal: journal, logger: logger)
        for file in files {
            let pidFile = paths.switchDirectory + "/capture-\(file.bridge).pid"
            let object = LabObject.capture(bridge: file.bridge, pidFile: pidFile, tag: lab.labID)
            let argv = [
                "-c", HolderScripts.spawn, "testbed-spawn", pidFile, nsenter, "--net=/proc/\(lab.switchPID)/ns/net",
                "--", tcpdump, "-i", file.bridge, "-n", "--immediate-mode", "-U", "-Z", "root", "-w",
                runDirectory + "/" + file.file,
            ]
            do {
                journal.record(.intent, [object, .file(path: pidFile)])
                try journal.commit()
                let process = try ChildProcess(
                    executable: ProcessEnvironment.which("bash") ?? "/bin/bash", arguments: argv,
                    options: .init(
                        environment: [
                            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C",
                            "TESTBED_LAB=\(lab.labID)",
                        ],
                        stdin: .null, stdout: .null,
                        stderr: .file(path: runDirectory + "/" + file.log, append: false), newSession: true))
                journal.recordCreated(object, pid: process.pid, startTime: ProcFS.startTime(of: process.pid))
                try journal.commit()
                started = started.adding(Capture(file: file, object: object, process: process, pidFile: pidFile))
            } catch {
                started.stop()
                throw failure("cannot start tcpdump on \(file.bridge)", hint: "see the lab journal", cause: "\(error)")
            }
        }
        for capture in started.captures {
            if let problem = waitUntilListening(capture, runDirectory: runDirectory) {
                started.stop()
                throw failure(
                    "tcpdump on \(capture.file.bridge) (segment \(capture.file.segment)) did not start",
                    hint: "see \(runDirectory)/\(capture.file.log)", cause: problem)
            }
        }
        return started
    }

    /// Stops every capture by its PID (SIGTERM, SIGKILL after 5 s) and records it as removed.
    func stop() {
        for capture in captures { capture.process.signal(SIGTERM) }
        for capture in captures {
            let status = capture.process.wait(until: .now + .seconds(5))
            if status != .exited(0) && status != .signaled(SIGTERM) {
                logger.warning("tcpdump on \(capture.file.bridge) ended with \(status)")
            }
            unlink(capture.pidFile)
        }
        journal.record(.removed, captures.map(\.object) + captures.map { .file(path: $0.pidFile) })
        do {
            try journal.commit()
        } catch {
            logger.warning("the lab journal could not record the captures as stopped: \(error)")
        }
    }

    private func adding(_ capture: Capture) -> PacketCaptures {
        PacketCaptures(files: files, captures: captures + [capture], journal: journal, logger: logger)
    }

    /// Nil once tcpdump's log says it is listening; else why not (it ended, or 10 s passed).
    private static func waitUntilListening(_ capture: Capture, runDirectory: String) -> String? {
        let deadline = ContinuousClock.now + .seconds(10)
        let log = runDirectory + "/" + capture.file.log
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("listening on") { return nil }
            if let status = capture.process.pollExit() {
                return "tcpdump ended with \(status): \(text.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
            usleep(5_000)
        }
        return "tcpdump did not say it was listening within 10 s"
    }

    private static func failure(_ message: String, hint: String, cause: String? = nil) -> SessionError {
        SessionError(code: .captureFailed, message: message, hint: hint, cause: cause)
    }
}
